package nnc.runtime.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * CIFAR-10 in its binary form: {@code data_batch_1.bin} .. {@code data_batch_5.bin} and
 * {@code test_batch.bin}, each record one label byte and 3 x 32 x 32 pixel bytes (channels
 * first), directly in the folder or in {@code cifar-10-batches-bin/} under it. Each file must
 * be a whole number of records, every label one of the 10 classes.
 */
public final class CifarDataset {
    static final int RECORD = 1 + 3 * 32 * 32;
    private static final int CLASSES = 10;
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
        Path d = located(dir);
        return new IdxDataset.Splits(read(name + ":train", d, TRAIN), read(name + ":test", d, List.of("test_batch.bin")));
    }

    /** Checks the sizes of the files (not their labels): the sample shape, or an exception naming the problem. */
    public static int[] probe(Path dir) throws IOException {
        Path d = located(dir);
        for (String f : TRAIN) {
            records(d.resolve(f));
        }
        records(d.resolve("test_batch.bin"));
        return new int[] {3, 32, 32};
    }

    private static Path located(Path dir) throws IOException {
        Path d = locate(dir);
        if (d == null) {
            throw DataFileException.of(dir, "no CIFAR-10 binary batches (data_batch_1.bin ... data_batch_5.bin, "
                    + "test_batch.bin)");
        }
        return d;
    }

    /** Records in a batch file, from its size. */
    private static int records(Path file) throws IOException {
        return records(file, Files.size(file));
    }

    private static int records(Path file, long size) throws IOException {
        if (size == 0 || size % RECORD != 0) {
            throw DataFileException.at(file, size - size % RECORD, "the file has " + DataFileException.count(size)
                    + " bytes, not a whole number of " + DataFileException.count(RECORD) + "-byte records (label + 3 x 32 x 32 pixels)");
        }
        if (size / RECORD > Idx.MAX_ELEMENTS / (RECORD - 1)) {
            throw DataFileException.of(file, "too many records for one array");
        }
        return (int) (size / RECORD);
    }

    private static Dataset read(String name, Path dir, List<String> files) throws IOException {
        long total = 0;
        for (String f : files) {
            total += records(dir.resolve(f));
        }
        if (total > Idx.MAX_ELEMENTS / (RECORD - 1)) {
            throw DataFileException.of(dir, "too many records for one array");
        }
        byte[] pixels = new byte[(int) total * (RECORD - 1)];
        float[] labels = new float[(int) total];
        int n = 0;
        for (String f : files) {
            Path file = dir.resolve(f);
            byte[] bytes = Files.readAllBytes(file);
            if (n + records(file, bytes.length) > total) {
                throw DataFileException.of(file, "the file grew while it was read");
            }
            n += unpack(file, bytes, pixels, labels, n);
        }
        return Dataset.ofBytes(name, new int[] {3, 32, 32}, pixels, labels, CLASSES);
    }

    /** One batch file's contents ({@code file} names it in messages). */
    public static Dataset parse(String name, Path file, byte[] bytes) throws IOException {
        int count = records(file, bytes.length);
        byte[] pixels = new byte[count * (RECORD - 1)];
        float[] labels = new float[count];
        unpack(file, bytes, pixels, labels, 0);
        return Dataset.ofBytes(name, new int[] {3, 32, 32}, pixels, labels, CLASSES);
    }

    /** Checks and copies the records of one file to sample {@code at} on; returns how many. */
    private static int unpack(Path file, byte[] part, byte[] pixels, float[] labels, int at) throws IOException {
        int count = records(file, part.length);
        for (int r = 0; r < count; r++) {
            int label = part[r * RECORD] & 0xFF;
            if (label >= CLASSES) {
                throw DataFileException.at(file, (long) r * RECORD, "record " + (r + 1) + " has label " + label
                        + "; expected 0 to " + (CLASSES - 1));
            }
            labels[at + r] = label;
            System.arraycopy(part, r * RECORD + 1, pixels, (at + r) * (RECORD - 1), RECORD - 1);
        }
        return count;
    }
}
