package nnc.compiler.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A small CIFAR-10 in its binary format (CIFAR itself cannot be fetched here): the five
 * training batches and the test batch, each record one label byte and 3 x 32 x 32 pixel bytes,
 * channels first. Record {@code r} of a file has label {@code r % 10} and pixel
 * {@link #pixel}{@code (label, r, c, y, x)}, so a test can check every byte it reads back.
 */
public final class CifarFixture {
    public static final List<String> FILES = List.of("data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin",
            "data_batch_4.bin", "data_batch_5.bin", "test_batch.bin");
    public static final int RECORD = 1 + 3 * 32 * 32;

    private CifarFixture() {
    }

    /** Writes {@code perFile} records into each of the six files in {@code dir}; returns {@code dir}. */
    public static Path write(Path dir, int perFile) throws IOException {
        Files.createDirectories(dir);
        for (String f : FILES) {
            byte[] b = new byte[perFile * RECORD];
            for (int r = 0; r < perFile; r++) {
                int label = r % 10;
                b[r * RECORD] = (byte) label;
                for (int c = 0; c < 3; c++) {
                    for (int y = 0; y < 32; y++) {
                        for (int x = 0; x < 32; x++) {
                            b[r * RECORD + 1 + c * 1024 + y * 32 + x] = (byte) pixel(label, r, c, y, x);
                        }
                    }
                }
            }
            Files.write(dir.resolve(f), b);
        }
        return dir;
    }

    /** The byte at channel c, row y, column x of record r: a colour per class, a gradient, some texture. */
    public static int pixel(int label, int r, int c, int y, int x) {
        return (label * 23 + c * 71 + y * 5 + x * 3 + r) & 0xFF;
    }
}
