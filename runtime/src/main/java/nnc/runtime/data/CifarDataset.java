package nnc.runtime.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * CIFAR-10 in its binary form: {@code data_batch_1.bin} .. {@code data_batch_5.bin} and
 * {@code test_batch.bin}, each record one label byte and 3 x 32 x 32 pixel bytes (channels
 * first), directly in the folder or in {@code cifar-10-batches-bin/} under it.
 */
public final class CifarDataset {
    private static final int RECORD = 1 + 3 * 32 * 32;
    private static final List<String> TRAIN = List.of("data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin",
            "data_batch_4.bin", "data_batch_5.bin");

    private CifarDataset() {
    }

    /** The folder holding the batches under {@code dir}, or null. */
    public static Path locate(Path dir) {
        for (Path d : new Path[] {dir, dir.resolve("cifar-10-batches-bin")}) {
            if (Files.isRegularFile(d.resolve("test_batch.bin"))
                    && TRAIN.stream().allMatch(f -> Files.isRegularFile(d.resolve(f)))) {
                return d;
            }
        }
        return null;
    }

    public static IdxDataset.Splits load(String name, Path dir) throws IOException {
        Path d = locate(dir);
        if (d == null) {
            throw new IOException(dir + ": no CIFAR-10 binary batches (data_batch_1.bin ... test_batch.bin)");
        }
        return new IdxDataset.Splits(read(name + ":train", d, TRAIN), read(name + ":test", d, List.of("test_batch.bin")));
    }

    private static Dataset read(String name, Path dir, List<String> files) throws IOException {
        int total = 0;
        byte[][] parts = new byte[files.size()][];
        for (int i = 0; i < files.size(); i++) {
            parts[i] = Files.readAllBytes(dir.resolve(files.get(i)));
            if (parts[i].length % RECORD != 0) {
                throw new IOException(dir.resolve(files.get(i)) + ": size is not a multiple of " + RECORD);
            }
            total += parts[i].length / RECORD;
        }
        byte[] pixels = new byte[total * (RECORD - 1)];
        float[] labels = new float[total];
        int n = 0;
        for (byte[] part : parts) {
            for (int r = 0; r < part.length / RECORD; r++, n++) {
                labels[n] = part[r * RECORD] & 0xFF;
                System.arraycopy(part, r * RECORD + 1, pixels, n * (RECORD - 1), RECORD - 1);
            }
        }
        return Dataset.ofBytes(name, new int[] {3, 32, 32}, pixels, labels, 10);
    }
}
