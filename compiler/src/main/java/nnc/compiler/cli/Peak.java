package nnc.compiler.cli;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import nnc.runtime.exec.Exec;

/**
 * Measures this machine's fused multiply-add throughput with the Vector API: 16 independent
 * accumulator chains per thread (enough to hide FMA latency), no memory traffic. The result
 * is the practical peak that kernels are compared with.
 */
public final class Peak {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    private Peak() {
    }

    /** GFLOP/s with {@code threads} threads, best of a few runs. */
    public static double gflops(Exec exec, int threads) {
        long iterations = 20_000_000L;
        double best = 0;
        float[] sink = new float[threads * S.length()];
        for (int rep = 0; rep < 5; rep++) {
            long t0 = System.nanoTime();
            exec.run(threads, (i, w) -> {
                FloatVector r = chains(iterations);
                r.intoArray(sink, i * S.length());
            });
            double s = (System.nanoTime() - t0) / 1e9;
            double flops = 2.0 * 16 * S.length() * iterations * threads;
            best = Math.max(best, flops / s / 1e9);
        }
        return best;
    }

    private static FloatVector chains(long n) {
        FloatVector a = FloatVector.broadcast(S, 0.999f);
        FloatVector b = FloatVector.broadcast(S, 1e-3f);
        FloatVector c0 = FloatVector.zero(S), c1 = c0, c2 = c0, c3 = c0, c4 = c0, c5 = c0, c6 = c0, c7 = c0;
        FloatVector c8 = c0, c9 = c0, c10 = c0, c11 = c0, c12 = c0, c13 = c0, c14 = c0, c15 = c0;
        for (long i = 0; i < n; i++) {
            c0 = c0.fma(a, b);
            c1 = c1.fma(a, b);
            c2 = c2.fma(a, b);
            c3 = c3.fma(a, b);
            c4 = c4.fma(a, b);
            c5 = c5.fma(a, b);
            c6 = c6.fma(a, b);
            c7 = c7.fma(a, b);
            c8 = c8.fma(a, b);
            c9 = c9.fma(a, b);
            c10 = c10.fma(a, b);
            c11 = c11.fma(a, b);
            c12 = c12.fma(a, b);
            c13 = c13.fma(a, b);
            c14 = c14.fma(a, b);
            c15 = c15.fma(a, b);
        }
        return c0.add(c1).add(c2).add(c3).add(c4).add(c5).add(c6).add(c7).add(c8).add(c9).add(c10).add(c11)
                .add(c12).add(c13).add(c14).add(c15);
    }
}
