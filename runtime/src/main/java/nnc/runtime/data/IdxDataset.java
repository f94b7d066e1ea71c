package nnc.runtime.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;

/**
 * A classification dataset in the MNIST layout: a folder with
 * {@code train-images-idx3-ubyte}, {@code train-labels-idx1-ubyte},
 * {@code t10k-images-idx3-ubyte}, {@code t10k-labels-idx1-ubyte}, each optionally gzipped.
 */
public final class IdxDataset {
    private IdxDataset() {
    }

    public static final String[] FILES = {
        "train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"
    };

    /** The training and test parts. */
    public record Splits(Dataset train, Dataset test) {
    }

    /** True when {@code dir} holds all four files. */
    public static boolean isComplete(Path dir) {
        return Arrays.stream(FILES).allMatch(f -> locate(dir, f).isPresent());
    }

    static Optional<Path> locate(Path dir, String base) {
        for (String candidate : new String[] {base, base + ".gz", base.replace("-idx", ".idx"),
            base.replace("-idx", ".idx") + ".gz"}) {
            Path p = dir.resolve(candidate);
            if (Files.isRegularFile(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    public static Splits load(String name, Path dir) throws IOException {
        return new Splits(part(name + ":train", dir, FILES[0], FILES[1]), part(name + ":test", dir, FILES[2], FILES[3]));
    }

    private static Dataset part(String name, Path dir, String images, String labels) throws IOException {
        Path ip = locate(dir, images).orElseThrow(() -> new IOException(dir + ": missing " + images));
        Path lp = locate(dir, labels).orElseThrow(() -> new IOException(dir + ": missing " + labels));
        Idx.Array img = Idx.read(ip);
        Idx.Array lab = Idx.read(lp);
        if (img.dims().length < 2) {
            throw new IOException(ip + ": expected images (rank >= 2), got rank " + img.dims().length);
        }
        if (lab.dims().length != 1 || lab.dims()[0] != img.dims()[0]) {
            throw new IOException(lp + ": " + Arrays.toString(lab.dims()) + " labels for "
                    + img.dims()[0] + " images");
        }
        int[] shape = Arrays.copyOfRange(img.dims(), 1, img.dims().length);
        float[] labels2 = new float[lab.data().length];
        int classes = 0;
        for (int i = 0; i < labels2.length; i++) {
            int l = lab.data()[i] & 0xFF;
            labels2[i] = l;
            classes = Math.max(classes, l + 1);
        }
        return Dataset.ofBytes(name, shape, img.data(), labels2, classes);
    }
}
