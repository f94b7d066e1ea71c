package nnc.runtime.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxTest {
    @TempDir
    Path tmp;

    static byte[] idx(int[] dims, byte[] data) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(b);
        out.writeInt(0x0800 | dims.length);
        for (int d : dims) {
            out.writeInt(d);
        }
        out.write(data);
        return b.toByteArray();
    }

    @Test
    void readsPlainAndGzippedFilesAndADatasetFolder() throws IOException {
        byte[] images = new byte[3 * 2 * 2];
        for (int i = 0; i < images.length; i++) {
            images[i] = (byte) (i * 20);
        }
        Files.write(tmp.resolve("train-images-idx3-ubyte"), idx(new int[] {3, 2, 2}, images));
        try (OutputStream o = new GZIPOutputStream(Files.newOutputStream(tmp.resolve("train-labels-idx1-ubyte.gz")))) {
            o.write(idx(new int[] {3}, new byte[] {4, 1, 9}));
        }
        Files.write(tmp.resolve("t10k-images-idx3-ubyte"), idx(new int[] {1, 2, 2}, new byte[] {0, (byte) 255, 0, 0}));
        Files.write(tmp.resolve("t10k-labels-idx1-ubyte"), idx(new int[] {1}, new byte[] {2}));
        IdxDataset.Splits s = IdxDataset.load("tiny", tmp);
        assertEquals(3, s.train().size());
        assertArrayEquals(new int[] {2, 2}, s.train().sampleShape());
        assertEquals(10, s.train().classes());
        float[] x = new float[8];
        float[] t = new float[2];
        s.train().normalized(new float[] {0.5f}, new float[] {0.25f}).copyBatch(new int[] {2, 0}, 0, 2, x, 0, t, 0, false, null);
        assertEquals((160 / 255f - 0.5f) / 0.25f, x[0], 1e-6);
        assertEquals(9f, t[0]);
        assertEquals(4f, t[1]);
    }

    @Test
    void rejectsFilesThatAreNotIdx() throws IOException {
        Files.writeString(tmp.resolve("x"), "hello world, not idx");
        assertThrows(IOException.class, () -> Idx.read(tmp.resolve("x")));
    }
}
