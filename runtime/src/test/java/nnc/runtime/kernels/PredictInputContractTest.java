package nnc.runtime.kernels;

import static nnc.runtime.kernels.KernelContractTest.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import nnc.runtime.kernels.Runners.Runner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@link GemmKernels#predictInputGemm}, prediction's product on the model input: row by row,
 * a sparse row gets the bits the training step's sparse forward gives that row alone, on every
 * runner; a dense row gets the dense product's bits; the transposed weights follow the
 * parameters after {@link TransposedCache#invalidate()}.
 */
class PredictInputContractTest {
    private static final float BACKGROUND = SparseInputContractTest.BACKGROUND;
    /** The reference runner first: the sparse rows of the others must match its bits. */
    private static final java.util.List<Runner> ALL = java.util.stream.Stream.concat(
            java.util.stream.Stream.of(Runners.REFERENCE), Runners.CANDIDATES.stream()).toList();

    /**
     * {@code rows} inputs: rows 0, 3, 6, ... dense, the others sparse (a fifth of the entries
     * differ from the background), each starting with the background when sparse, so
     * that a row's first value is its background.
     */
    static float[] mixed(int rows, int cols, long seed) {
        float[] x = new float[rows * cols];
        for (int q = 0; q < rows; q++) {
            float[] row = SparseInputContractTest.input(1, cols, q % 3 == 0 ? 0.9 : 0.2, BACKGROUND, seed + q);
            if (q % 3 != 0) {
                row[0] = BACKGROUND;
            }
            System.arraycopy(row, 0, x, q * cols, cols);
        }
        return x;
    }

    @ParameterizedTest(name = "rows {0}, out {1}, cols {2}")
    @CsvSource({"1, 256, 784", "7, 10, 64", "5, 130, 100", "4, 1, 64", "9, 200, 70", "3, 128, 128", "2, 17, 65"})
    void eachRowGetsTheBitsOfItsOwnProduct(int rows, int out, int cols) {
        float[] x = mixed(rows, cols, rows * 7L + out);
        float[] w = KernelContractTest.random(out * cols, 5);
        float[] bias = KernelContractTest.random(out, 6);
        float[] sparseRef = null;
        for (Runner r : ALL) {
            // The epilogue's bias finds its channel from the distance to its base: rows are out apart.
            int ldy = out;
            float[] y = new float[2 + rows * ldy + 3];
            r.k().predictInputGemm(r.ex(), new SparseRows(), new TransposedCache(), rows, out, cols, x, 0, cols, w, 0,
                    cols, y, 2, ldy, r.k().epilogue(2).bias(bias, 0, 1, out).act(Act.RELU, 0f).build());
            float[] alone = new float[rows * out];
            for (int q = 0; q < rows; q++) {
                SparseRows one = new SparseRows();
                r.k().inputGemm(r.ex(), one, 1, out, cols, x, q * cols, cols, w, 0, cols, alone, q * out, out,
                        r.k().epilogue(q * out).bias(bias, 0, 1, out).act(Act.RELU, 0f).build());
                assertEquals(q % 3 != 0, one.holds(x, q * cols, cols, 1, cols), "row " + q + " taken in as sparse");
                for (int o = 0; o < out; o++) {
                    String what = r + ": row " + q + " output " + o + " differs from the row's own product";
                    assertEquals(Float.floatToRawIntBits(alone[q * out + o]), Float.floatToRawIntBits(y[2 + q * ldy + o]),
                            what);
                }
            }
            for (int i = 0; i < 2; i++) {
                assertEquals(0f, y[i], "nothing before the output");
            }
            for (int i = 2 + rows * ldy; i < y.length; i++) {
                assertEquals(0f, y[i], "nothing after the output");
            }
            float[] sparseRows = sparseRowsOf(y, rows, out, ldy);
            if (sparseRef == null) {
                sparseRef = sparseRows;
            } else {
                assertClose(sparseRef, sparseRows, 0f, "sparse rows bit for bit, " + r);
            }
            float[] dense = SparseInputContractTest.reference(false, x, w, rows, out, cols);
            float[] got = new float[rows * out];
            for (int q = 0; q < rows; q++) {
                for (int o = 0; o < out; o++) {
                    got[q * out + o] = y[2 + q * ldy + o];
                    dense[q * out + o] = Math.max(0f, dense[q * out + o] + bias[o]);
                }
            }
            assertClose(dense, got, Tolerances.SUM_PER_SQRT_TERM * (float) Math.sqrt(cols) * 4, "against the dense product, " + r);
        }
    }

    private static float[] sparseRowsOf(float[] y, int rows, int out, int ldy) {
        float[] s = new float[rows * out];
        for (int q = 0; q < rows; q++) {
            if (q % 3 != 0) {
                System.arraycopy(y, 2 + q * ldy, s, q * out, out);
            }
        }
        return s;
    }

    @Test
    void narrowInputsTakeTheDenseProductItself() {
        int rows = 4;
        int out = 30;
        int cols = SparseRows.MIN_ROW_COLS - 1;
        float[] x = SparseInputContractTest.input(rows, cols, 0.1, 0f, 8);
        float[] w = KernelContractTest.random(out * cols, 9);
        for (Runner r : ALL) {
            float[] y = new float[rows * out];
            float[] dense = new float[rows * out];
            r.k().predictInputGemm(r.ex(), new SparseRows(), new TransposedCache(), rows, out, cols, x, 0, cols, w, 0,
                    cols, y, 0, out, Epilogue.NONE);
            r.k().gemm(r.ex(), false, true, rows, out, cols, x, 0, cols, w, 0, cols, dense, 0, out, false, Epilogue.NONE);
            assertClose(dense, y, 0f, "fewer columns than the sparse path wants, " + r);
        }
    }

    @Test
    void theTransposedWeightsFollowTheParametersOnceInvalidated() {
        int out = 40;
        int cols = 100;
        float[] x = mixed(2, cols, 11);
        float[] w = KernelContractTest.random(out * cols, 12);
        for (Runner r : ALL) {
            TransposedCache cache = new TransposedCache();
            float[] before = new float[2 * out];
            r.k().predictInputGemm(r.ex(), new SparseRows(), cache, 2, out, cols, x, 0, cols, w, 0, cols, before, 0, out,
                    Epilogue.NONE);
            float[] changed = w.clone();
            for (int i = 0; i < changed.length; i++) {
                changed[i] *= 2f;
            }
            System.arraycopy(changed, 0, w, 0, w.length);
            cache.invalidate();
            float[] after = new float[2 * out];
            r.k().predictInputGemm(r.ex(), new SparseRows(), cache, 2, out, cols, x, 0, cols, w, 0, cols, after, 0, out,
                    Epilogue.NONE);
            for (int i = 0; i < after.length; i++) {
                // Doubling every weight doubles every sum exactly.
                assertEquals(2f * before[i], after[i], 0f, r + ": output " + i + " after the weights doubled");
            }
            assertNotEquals(0f, after[out], "row 1 (sparse) computed");
            for (int i = 0; i < w.length; i++) {
                w[i] *= 0.5f;
            }
        }
    }

    @Test
    void theLayoutHoldsTheTransposeAndTheRowSumsInOrder() {
        int out = 19;
        int k = 7;
        float[] w = KernelContractTest.random(3 + out * (k + 2), 13);
        TransposedWeights t = TransposedWeights.of(w, 3, k + 2, out, k, 0);
        assertEquals(64, t.ld(), "padded to 64 floats");
        for (int o = 0; o < t.ld(); o++) {
            float s = 0f;
            for (int i = 0; i < k; i++) {
                float v = o < out ? w[3 + o * (k + 2) + i] : 0f;
                assertEquals(v, t.values()[i * t.ld() + o], 0f, "W^T[" + i + ", " + o + "]");
                s += v;
            }
            assertEquals(s, t.sums()[o], 0f, "row sum " + o);
        }
        TransposedCache cache = new TransposedCache();
        TransposedWeights first = cache.get(w, 3, k + 2, out, k);
        org.junit.jupiter.api.Assertions.assertSame(first, cache.get(w, 3, k + 2, out, k), "nothing changed: the same layout");
        cache.invalidate();
        TransposedWeights second = cache.get(w, 3, k + 2, out, k);
        org.junit.jupiter.api.Assertions.assertNotSame(first, second, "built again after a change");
        cache.clear();
        org.junit.jupiter.api.Assertions.assertNotSame(second, cache.get(w, 3, k + 2, out, k), "and after clear");
    }
}
