import java.util.Arrays;
import java.util.Random;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The MNIST MLP's first layer at batch 1 (784 -> 256), eight rows at a time, with the same
 * inner loop written two ways, on W as stored and on W packed (eight rows' vectors side by
 * side), to show how much of batch-1 latency is the JIT's treatment of the loop rather than
 * memory (performance.md, session 29):
 *
 *   bare   the loop alone: x at p, the rows at fixed offsets, p < k
 *   tile   as nnc's DotKernel.tile1x8 has it: x at ao + p, p < loopBound(k), rows past the
 *          tile's edge clamped with Math.min, a scalar tail after the loop
 *
 *   java --add-modules jdk.incubator.vector -XX:CompileCommand=quiet \
 *       -XX:CompileCommand=dontinline,DotLoopShapes::bare \
 *       -XX:CompileCommand=dontinline,DotLoopShapes::tile bench/DotLoopShapes.java
 *   (and again with -XX:LoopUnrollLimit=0)
 *
 * dontinline keeps the kernels out of the timing loop, as in nnc, where a constant k would
 * otherwise be folded in. Prints the median microseconds of one 784 x 256 product (median of
 * 25 rounds of 400 products, min-max over rounds).
 */
public class DotLoopShapes {
    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    static final int L = S.length();
    static final int K = 784;
    static final int N = 256;

    public static void main(String[] args) {
        float[] w = new float[N * K];
        float[] packed = new float[N * K];
        float[] x = new float[K];
        float[] y = new float[N];
        Random r = new Random(1);
        for (int i = 0; i < w.length; i++) {
            w[i] = r.nextFloat();
        }
        for (int i = 0; i < x.length; i++) {
            x[i] = r.nextFloat();
        }
        for (int row = 0; row < N; row++) {
            for (int p = 0; p < K; p += L) {
                System.arraycopy(w, row * K + p, packed, row / 8 * 8 * K + row % 8 * L + p * 8, L);
            }
        }
        String[] names = {"bare, packed", "tile, packed", "bare, as stored", "tile, as stored"};
        int rounds = 30;
        int calls = 400;
        double[][] us = new double[names.length][rounds];
        for (int round = 0; round < rounds; round++) {
            for (int m = 0; m < names.length; m++) {
                long[] t = new long[calls];
                for (int c = 0; c < calls; c++) {
                    long t0 = System.nanoTime();
                    for (int j = 0; j < N; j += 8) {
                        switch (m) {
                            case 0 -> bare(K, x, packed, j * K, L, 8 * L, y, j);
                            case 1 -> tile(K, x, 0, packed, j * K, L, 8 * L, w, j * K, K, 8, y, j);
                            case 2 -> bare(K, x, w, j * K, K, L, y, j);
                            default -> tile(K, x, 0, w, j * K, K, L, w, j * K, K, 8, y, j);
                        }
                    }
                    t[c] = System.nanoTime() - t0;
                }
                Arrays.sort(t);
                us[m][round] = t[calls / 2] / 1e3;
            }
        }
        for (int m = 0; m < names.length; m++) {
            double[] v = Arrays.copyOfRange(us[m], 5, rounds);  // the first rounds warm the JIT up
            Arrays.sort(v);
            System.out.printf("%-16s %.2f us (%.2f-%.2f)%n", names[m], v[v.length / 2], v[0], v[v.length - 1]);
        }
    }

    /** y[yo .. yo + 8] = rows of W . x; row r's vector at p is at w[wo + r * rowStride + p / L * step]. */
    static void bare(int k, float[] x, float[] w, int wo, int rowStride, int step, float[] y, int yo) {
        FloatVector c0 = FloatVector.zero(S), c1 = FloatVector.zero(S), c2 = FloatVector.zero(S);
        FloatVector c3 = FloatVector.zero(S), c4 = FloatVector.zero(S), c5 = FloatVector.zero(S);
        FloatVector c6 = FloatVector.zero(S), c7 = FloatVector.zero(S);
        int w1 = wo + rowStride, w2 = wo + 2 * rowStride, w3 = wo + 3 * rowStride, w4 = wo + 4 * rowStride;
        int w5 = wo + 5 * rowStride, w6 = wo + 6 * rowStride, w7 = wo + 7 * rowStride;
        for (int p = 0, q = 0; p < k; p += L, q += step) {
            FloatVector v = FloatVector.fromArray(S, x, p);
            c0 = v.fma(FloatVector.fromArray(S, w, wo + q), c0);
            c1 = v.fma(FloatVector.fromArray(S, w, w1 + q), c1);
            c2 = v.fma(FloatVector.fromArray(S, w, w2 + q), c2);
            c3 = v.fma(FloatVector.fromArray(S, w, w3 + q), c3);
            c4 = v.fma(FloatVector.fromArray(S, w, w4 + q), c4);
            c5 = v.fma(FloatVector.fromArray(S, w, w5 + q), c5);
            c6 = v.fma(FloatVector.fromArray(S, w, w6 + q), c6);
            c7 = v.fma(FloatVector.fromArray(S, w, w7 + q), c7);
        }
        store(c0, c1, c2, c3, c4, c5, c6, c7, y, yo);
    }

    /** {@link #bare} shaped as nnc's tile: offset input, loopBound, clamped edge rows, scalar tail from b. */
    static void tile(int k, float[] a, int ao, float[] w, int wo, int rowStride, int step, float[] b, int bo, int ldb,
                     int cols, float[] y, int yo) {
        FloatVector c0 = FloatVector.zero(S), c1 = FloatVector.zero(S), c2 = FloatVector.zero(S);
        FloatVector c3 = FloatVector.zero(S), c4 = FloatVector.zero(S), c5 = FloatVector.zero(S);
        FloatVector c6 = FloatVector.zero(S), c7 = FloatVector.zero(S);
        int last = cols - 1;
        int w1 = wo + Math.min(1, last) * rowStride, w2 = wo + Math.min(2, last) * rowStride;
        int w3 = wo + Math.min(3, last) * rowStride, w4 = wo + Math.min(4, last) * rowStride;
        int w5 = wo + Math.min(5, last) * rowStride, w6 = wo + Math.min(6, last) * rowStride;
        int w7 = wo + Math.min(7, last) * rowStride;
        int bound = S.loopBound(k);
        for (int p = 0, q = 0; p < bound; p += L, q += step) {
            FloatVector v = FloatVector.fromArray(S, a, ao + p);
            c0 = v.fma(FloatVector.fromArray(S, w, wo + q), c0);
            c1 = v.fma(FloatVector.fromArray(S, w, w1 + q), c1);
            c2 = v.fma(FloatVector.fromArray(S, w, w2 + q), c2);
            c3 = v.fma(FloatVector.fromArray(S, w, w3 + q), c3);
            c4 = v.fma(FloatVector.fromArray(S, w, w4 + q), c4);
            c5 = v.fma(FloatVector.fromArray(S, w, w5 + q), c5);
            c6 = v.fma(FloatVector.fromArray(S, w, w6 + q), c6);
            c7 = v.fma(FloatVector.fromArray(S, w, w7 + q), c7);
        }
        store(c0, c1, c2, c3, c4, c5, c6, c7, y, yo);
        for (int j = 0; j < cols; j++) {
            for (int p = bound; p < k; p++) {
                y[yo + j] += a[ao + p] * b[bo + j * ldb + p];
            }
        }
    }

    static void store(FloatVector c0, FloatVector c1, FloatVector c2, FloatVector c3, FloatVector c4, FloatVector c5,
                      FloatVector c6, FloatVector c7, float[] y, int yo) {
        y[yo] = c0.reduceLanes(VectorOperators.ADD);
        y[yo + 1] = c1.reduceLanes(VectorOperators.ADD);
        y[yo + 2] = c2.reduceLanes(VectorOperators.ADD);
        y[yo + 3] = c3.reduceLanes(VectorOperators.ADD);
        y[yo + 4] = c4.reduceLanes(VectorOperators.ADD);
        y[yo + 5] = c5.reduceLanes(VectorOperators.ADD);
        y[yo + 6] = c6.reduceLanes(VectorOperators.ADD);
        y[yo + 7] = c7.reduceLanes(VectorOperators.ADD);
    }
}
