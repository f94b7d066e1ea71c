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
        Dataset train = part(name + ":train", dir, FILES[0], FILES[1]);
        Dataset test = part(name + ":test", dir, FILES[2], FILES[3]);
        if (!Arrays.equals(train.sampleShape(), test.sampleShape())) {
            throw DataFileException.of(locate(dir, FILES[2]).orElseThrow(), "test images are "
                    + Arrays.toString(test.sampleShape()) + " but training images are " + Arrays.toString(train.sampleShape()));
        }
        return new Splits(train, test);
    }

    private static Dataset part(String name, Path dir, String images, String labels) throws IOException {
        Path ip = locate(dir, images).orElseThrow(() -> DataFileException.of(dir, "missing " + images + " (or .gz)"));
        Path lp = locate(dir, labels).orElseThrow(() -> DataFileException.of(dir, "missing " + labels + " (or .gz)"));
        return part(name, ip, Idx.read(ip), lp, Idx.read(lp));
    }

    /** A split from its image and label arrays (read from {@code ip} and {@code lp}, which name them in messages). */
    public static Dataset part(String name, Path ip, Idx.Array img, Path lp, Idx.Array lab) throws IOException {
        if (img.dims().length < 2) {
            throw DataFileException.at(ip, 3, "rank " + img.dims().length + "; images need at least 2 dimensions "
                    + "[count, height, width]");
        }
        if (lab.dims().length != 1) {
            throw DataFileException.at(lp, 3, "rank " + lab.dims().length + "; labels need 1 dimension [count]");
        }
        if (lab.dims()[0] != img.dims()[0]) {
            throw DataFileException.at(lp, 4, DataFileException.count(lab.dims()[0]) + " labels, but " + ip.getFileName()
                    + " has " + DataFileException.count(img.dims()[0]) + " images");
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

    /** Checks the headers of the four files (not the data): the sample shape, or an exception naming the problem. */
    public static int[] probe(Path dir) throws IOException {
        int[] shape = null;
        for (int part = 0; part < 2; part++) {
            Path ip = locate(dir, FILES[2 * part]).orElseThrow(() -> DataFileException.of(dir, "missing image file"));
            Path lp = locate(dir, FILES[2 * part + 1]).orElseThrow(() -> DataFileException.of(dir, "missing label file"));
            Idx.Header img = Idx.readHeader(ip);
            Idx.Header lab = Idx.readHeader(lp);
            if (img.dims().length < 2 || lab.dims().length != 1 || lab.dims()[0] != img.dims()[0]) {
                throw DataFileException.of(lp, "labels " + Arrays.toString(lab.dims()) + " do not fit images "
                        + Arrays.toString(img.dims()) + " of " + ip.getFileName());
            }
            int[] s = Arrays.copyOfRange(img.dims(), 1, img.dims().length);
            if (shape != null && !Arrays.equals(shape, s)) {
                throw DataFileException.of(ip, "test images are " + Arrays.toString(s) + " but training images are "
                        + Arrays.toString(shape));
            }
            shape = s;
        }
        return shape;
    }
}
