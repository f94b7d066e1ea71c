import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * What bounds the MNIST MLP's first layer at batch 1 (784 -> 256, 800 KB of weights), outside
 * nnc: the product y = W x alone, eight rows of W at a time as in nnc's DotKernel.tile1x8, with
 * W in three layouts, each at the 16 float offsets of one 64-byte cache line.
 *
 *   java --add-modules jdk.incubator.vector bench/BatchOneLayouts.java [rows|packed|segment|ping] [N]
 *
 *   rows     W as stored, row-major [N, 784]: eight streams 3136 bytes apart (nnc today)
 *   packed   eight rows' vectors side by side: one stream (a copy nnc would have to keep)
 *   segment  packed, in off-heap memory aligned to 64 bytes, read with fromMemorySegment
 *   ping     the round trip between two threads on one cache line (the cost of a hand-off)
 *
 * The kernels take k as an argument, as nnc's do: with the constant 784 as the loop bound, C2
 * compiled the packed loop about 15% slower.
 *
 * Prints, per round, the median microseconds of one product at offsets 0..15: the offset at
 * which the heap array's data starts a cache line is the fast one (it moves from run to run).
 */
public class BatchOneLayouts {
    static final VectorSpecies<Float> S = FloatVector.SPECIES_512;
    static final int K = 784;
    static final int CALLS = 2000;
    static final int ROUNDS = 4;

    public static void main(String[] args) {
        String mode = args.length > 0 ? args[0] : "rows";
        int n = args.length > 1 ? Integer.parseInt(args[1]) : 256;
        if (mode.equals("ping")) {
            ping();
            return;
        }
        float[] w = new float[n * K + 64];
        float[] x = new float[K + 64];
        float[] y = new float[n];
        Random r = new Random(1);
        for (int i = 0; i < w.length; i++) {
            w[i] = r.nextFloat();
        }
        for (int i = 0; i < x.length; i++) {
            x[i] = r.nextFloat();
        }
        MemorySegment seg = Arena.ofAuto().allocate(4L * w.length, 64);
        MemorySegment.copy(w, 0, seg, ValueLayout.JAVA_FLOAT, 0, w.length);
        for (int round = 0; round < ROUNDS; round++) {
            StringBuilder line = new StringBuilder(mode).append(':');
            for (int off = 0; off < 16; off++) {
                long[] t = new long[CALLS];
                for (int c = 0; c < CALLS; c++) {
                    long t0 = System.nanoTime();
                    product(mode, n, x, off, w, seg, y);
                    t[c] = System.nanoTime() - t0;
                }
                Arrays.sort(t);
                line.append(String.format(" %.2f", t[CALLS / 2] / 1e3));
            }
            System.out.println(line);
        }
    }

    /** y = W x at offset {@code off} of both arrays, eight rows at a time. */
    static void product(String mode, int n, float[] x, int off, float[] w, MemorySegment seg, float[] y) {
        if (mode.equals("packed")) {
            for (int j = 0; j < n; j += 8) {
                packed(K, x, off, w, off + j * K, y, j);
            }
        } else if (mode.equals("segment")) {
            for (int j = 0; j < n; j += 8) {
                segment(K, x, off, seg, 4L * (off + j * K), y, j);
            }
        } else {
            for (int j = 0; j < n; j += 8) {
                rows(K, x, off, w, off + j * K, y, j);
            }
        }
    }

    /** Eight rows of W as stored: eight loads 3136 bytes apart per step. */
    static void rows(int k, float[] x, int xo, float[] w, int wo, float[] y, int yo) {
        FloatVector c0 = FloatVector.zero(S), c1 = FloatVector.zero(S), c2 = FloatVector.zero(S);
        FloatVector c3 = FloatVector.zero(S), c4 = FloatVector.zero(S), c5 = FloatVector.zero(S);
        FloatVector c6 = FloatVector.zero(S), c7 = FloatVector.zero(S);
        int w1 = wo + k, w2 = wo + 2 * k, w3 = wo + 3 * k, w4 = wo + 4 * k, w5 = wo + 5 * k, w6 = wo + 6 * k;
        int w7 = wo + 7 * k;
        for (int p = 0; p < k; p += 16) {
            FloatVector v = FloatVector.fromArray(S, x, xo + p);
            c0 = v.fma(FloatVector.fromArray(S, w, wo + p), c0);
            c1 = v.fma(FloatVector.fromArray(S, w, w1 + p), c1);
            c2 = v.fma(FloatVector.fromArray(S, w, w2 + p), c2);
            c3 = v.fma(FloatVector.fromArray(S, w, w3 + p), c3);
            c4 = v.fma(FloatVector.fromArray(S, w, w4 + p), c4);
            c5 = v.fma(FloatVector.fromArray(S, w, w5 + p), c5);
            c6 = v.fma(FloatVector.fromArray(S, w, w6 + p), c6);
            c7 = v.fma(FloatVector.fromArray(S, w, w7 + p), c7);
        }
        y[yo] = c0.reduceLanes(VectorOperators.ADD);
        y[yo + 1] = c1.reduceLanes(VectorOperators.ADD);
        y[yo + 2] = c2.reduceLanes(VectorOperators.ADD);
        y[yo + 3] = c3.reduceLanes(VectorOperators.ADD);
        y[yo + 4] = c4.reduceLanes(VectorOperators.ADD);
        y[yo + 5] = c5.reduceLanes(VectorOperators.ADD);
        y[yo + 6] = c6.reduceLanes(VectorOperators.ADD);
        y[yo + 7] = c7.reduceLanes(VectorOperators.ADD);
    }

    /** The same products with the eight rows' vectors side by side: 512 contiguous bytes per step. */
    static void packed(int k, float[] x, int xo, float[] w, int wo, float[] y, int yo) {
        FloatVector c0 = FloatVector.zero(S), c1 = FloatVector.zero(S), c2 = FloatVector.zero(S);
        FloatVector c3 = FloatVector.zero(S), c4 = FloatVector.zero(S), c5 = FloatVector.zero(S);
        FloatVector c6 = FloatVector.zero(S), c7 = FloatVector.zero(S);
        int q = wo;
        for (int p = 0; p < k; p += 16, q += 128) {
            FloatVector v = FloatVector.fromArray(S, x, xo + p);
            c0 = v.fma(FloatVector.fromArray(S, w, q), c0);
            c1 = v.fma(FloatVector.fromArray(S, w, q + 16), c1);
            c2 = v.fma(FloatVector.fromArray(S, w, q + 32), c2);
            c3 = v.fma(FloatVector.fromArray(S, w, q + 48), c3);
            c4 = v.fma(FloatVector.fromArray(S, w, q + 64), c4);
            c5 = v.fma(FloatVector.fromArray(S, w, q + 80), c5);
            c6 = v.fma(FloatVector.fromArray(S, w, q + 96), c6);
            c7 = v.fma(FloatVector.fromArray(S, w, q + 112), c7);
        }
        y[yo] = c0.reduceLanes(VectorOperators.ADD);
        y[yo + 1] = c1.reduceLanes(VectorOperators.ADD);
        y[yo + 2] = c2.reduceLanes(VectorOperators.ADD);
        y[yo + 3] = c3.reduceLanes(VectorOperators.ADD);
        y[yo + 4] = c4.reduceLanes(VectorOperators.ADD);
        y[yo + 5] = c5.reduceLanes(VectorOperators.ADD);
        y[yo + 6] = c6.reduceLanes(VectorOperators.ADD);
        y[yo + 7] = c7.reduceLanes(VectorOperators.ADD);
    }

    /** {@link #packed} reading W from aligned off-heap memory. */
    static void segment(int k, float[] x, int xo, MemorySegment w, long wo, float[] y, int yo) {
        ByteOrder le = ByteOrder.LITTLE_ENDIAN;
        FloatVector c0 = FloatVector.zero(S), c1 = FloatVector.zero(S), c2 = FloatVector.zero(S);
        FloatVector c3 = FloatVector.zero(S), c4 = FloatVector.zero(S), c5 = FloatVector.zero(S);
        FloatVector c6 = FloatVector.zero(S), c7 = FloatVector.zero(S);
        long q = wo;
        for (int p = 0; p < k; p += 16, q += 512) {
            FloatVector v = FloatVector.fromArray(S, x, xo + p);
            c0 = v.fma(FloatVector.fromMemorySegment(S, w, q, le), c0);
            c1 = v.fma(FloatVector.fromMemorySegment(S, w, q + 64, le), c1);
            c2 = v.fma(FloatVector.fromMemorySegment(S, w, q + 128, le), c2);
            c3 = v.fma(FloatVector.fromMemorySegment(S, w, q + 192, le), c3);
            c4 = v.fma(FloatVector.fromMemorySegment(S, w, q + 256, le), c4);
            c5 = v.fma(FloatVector.fromMemorySegment(S, w, q + 320, le), c5);
            c6 = v.fma(FloatVector.fromMemorySegment(S, w, q + 384, le), c6);
            c7 = v.fma(FloatVector.fromMemorySegment(S, w, q + 448, le), c7);
        }
        y[yo] = c0.reduceLanes(VectorOperators.ADD);
        y[yo + 1] = c1.reduceLanes(VectorOperators.ADD);
        y[yo + 2] = c2.reduceLanes(VectorOperators.ADD);
        y[yo + 3] = c3.reduceLanes(VectorOperators.ADD);
        y[yo + 4] = c4.reduceLanes(VectorOperators.ADD);
        y[yo + 5] = c5.reduceLanes(VectorOperators.ADD);
        y[yo + 6] = c6.reduceLanes(VectorOperators.ADD);
        y[yo + 7] = c7.reduceLanes(VectorOperators.ADD);
    }

    /** Two threads pass a counter back and forth through two cache lines. */
    static void ping() {
        AtomicLong there = new AtomicLong();
        AtomicLong back = new AtomicLong();
        int trips = 400_000;
        Thread peer = new Thread(() -> {
            for (long i = 1; i <= (long) ROUNDS * trips; i++) {
                while (there.get() != i) {
                    Thread.onSpinWait();
                }
                back.set(i);
            }
        });
        peer.start();
        for (int round = 0; round < ROUNDS; round++) {
            long t0 = System.nanoTime();
            for (long i = (long) round * trips + 1; i <= (long) (round + 1) * trips; i++) {
                there.set(i);
                while (back.get() != i) {
                    Thread.onSpinWait();
                }
            }
            System.out.printf("ping: round trip %.0f ns%n", (System.nanoTime() - t0) / (double) trips);
        }
    }
}
