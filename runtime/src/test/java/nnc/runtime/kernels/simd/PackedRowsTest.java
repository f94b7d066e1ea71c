package nnc.runtime.kernels.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.SplittableRandom;
import nnc.runtime.exec.Workspace;
import nnc.runtime.kernels.Epilogue;
import org.junit.jupiter.api.Test;

/**
 * A single row's product read from packed copies of B ({@link PackedRows}) gives every
 * element the bits of the same product read from B as stored, for whole and ragged groups of
 * eight rows, with and without a scalar tail of k, accumulating or not, with an epilogue; the
 * copy is made again when the version changes, and a product past the budget reads B as
 * stored.
 */
class PackedRowsTest {
    private static final SimdGemm GEMM = new SimdGemm();

    private static float[] random(int size, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[size];
        for (int i = 0; i < size; i++) {
            x[i] = (float) r.nextDouble(-1, 1);
        }
        return x;
    }

    /** C row = a . B^T through {@code ws}, B = b at offset 5 with row stride k + 3. */
    private static float[] product(Workspace ws, int n, int k, float[] a, float[] b, float[] c0, boolean accumulate,
                                   Epilogue epi) {
        float[] c = c0.clone();
        GEMM.gemmSerial(ws, false, true, 1, n, k, a, 2, k, b, 5, k + 3, c, 1, n, accumulate, epi);
        return c;
    }

    private static void assertSameBits(float[] expected, float[] actual, String what) {
        for (int i = 0; i < expected.length; i++) {
            assertEquals(Float.floatToRawIntBits(expected[i]), Float.floatToRawIntBits(actual[i]),
                    what + ", element " + i);
        }
    }

    @Test
    void packedRowsGiveTheBitsOfRowsAsStored() {
        // The MNIST MLP's layers, ragged last groups, k with and without a scalar tail.
        int[][] shapes = {{256, 784}, {128, 256}, {10, 128}, {13, 100}, {8, 64}, {3, 70}, {17, 65}, {1, 64}};
        for (int[] s : shapes) {
            int n = s[0];
            int k = s[1];
            float[] a = random(2 + k, 1);
            float[] b = random(5 + n * (k + 3), 2);
            float[] c0 = random(1 + n + 2, 3);
            float[] side = random(n + 8, 4);
            for (Epilogue epi : new Epilogue[] {Epilogue.NONE, Epilogue.on(1).scale(2f).add(side, 0).build()}) {
                for (boolean accumulate : new boolean[] {false, true}) {
                    float[] stored = product(new Workspace(), n, k, a, b, c0, accumulate, epi);
                    Workspace ws = new Workspace();
                    ws.allowPacked(b, 1);
                    String what = n + "x" + k + (accumulate ? ", accumulating" : "") + (epi.isEmpty() ? "" : ", epilogue");
                    assertSameBits(stored, product(ws, n, k, a, b, c0, accumulate, epi), what);
                    assertNotNull(PackedRows.packed(ws, n, k, b, 5, k + 3), what + ": no copy was made");
                    assertSameBits(stored, product(ws, n, k, a, b, c0, accumulate, epi), what + ", the copy reused");
                }
            }
        }
    }

    @Test
    void aNewVersionPacksAgainAndTheSameVersionKeepsTheCopy() {
        int n = 24;
        int k = 80;
        float[] a = random(2 + k, 5);
        float[] b = random(5 + n * (k + 3), 6);
        float[] c0 = new float[1 + n];
        Workspace ws = new Workspace();
        ws.allowPacked(b, 7);
        float[] before = product(ws, n, k, a, b, c0, false, Epilogue.NONE);
        for (int i = 0; i < b.length; i++) {
            b[i] = -b[i];
        }
        // The promise of allowPacked: the caller bumps the version when b changes. Until then the copy is read.
        assertSameBits(before, product(ws, n, k, a, b, c0, false, Epilogue.NONE), "same version");
        ws.allowPacked(b, 8);
        assertSameBits(product(new Workspace(), n, k, a, b, c0, false, Epilogue.NONE),
                product(ws, n, k, a, b, c0, false, Epilogue.NONE), "after the version changed");
    }

    @Test
    void productsPastTheBudgetReadBAsStored() {
        int k = 1024;
        int n = PackedRows.BUDGET / k + 8;
        float[] a = random(2 + k, 7);
        float[] b = random(5 + n * (k + 3), 8);
        float[] c0 = new float[1 + n];
        Workspace ws = new Workspace();
        ws.allowPacked(b, 1);
        assertSameBits(product(new Workspace(), n, k, a, b, c0, false, Epilogue.NONE),
                product(ws, n, k, a, b, c0, false, Epilogue.NONE), n + "x" + k);
        assertNull(PackedRows.packed(ws, n, k, b, 5, k + 3), "a copy of " + n * k + " floats was made");
    }
}
