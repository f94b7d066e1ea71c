package nnc.runtime.kernels;

import nnc.runtime.exec.Exec;

/** Run by {@link FallbackTest} in a JVM without the Vector API: uses every kernel family and activation once. */
public final class FallbackMain {
    private FallbackMain() {
    }

    /** Not KernelContractTest's: its static fields need the SIMD backend. */
    static float[] random(int n, long seed) {
        java.util.SplittableRandom r = new java.util.SplittableRandom(seed);
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) r.nextDouble(-1, 1);
        }
        return a;
    }

    public static void main(String[] args) {
        Kernels k = Kernels.active();
        float[] a = random(40 * 30, 1);
        float[] b = random(30 * 20, 2);
        float[] c = new float[40 * 20];
        try (Exec ex = Exec.threads(2)) {
            k.gemm(ex, false, false, 40, 20, 30, a, 0, 30, b, 0, 20, c, 0, 20, false,
                    k.epilogue(0).act(Act.RELU, 0f).build());
            ConvGeom g = new ConvGeom(2, 6, 6, 3, 3, 3, 1, 1, 1, 1, 6, 6);
            float[] x = random(2 * g.inSize(), 3);
            float[] w = random(g.weightSize(), 4);
            float[] y = new float[2 * g.outSize()];
            k.conv2d(ex, g, 2, x, 0, w, 0, y, 0, Epilogue.NONE);
            float[] stats = new float[2];
            float[] t = {1, 0, 2, 3};
            k.loss(ex, Kernels.Loss.SOFTMAX_CROSS_ENTROPY, c, 0, 4, 5, t, 0, null, 0, stats);
            float[] acts = random(64, 5);
            for (Act act : Act.values()) {
                // Every activation's declaration, loaded and run without the vector classes.
                k.pointwise(ex, acts, 0, acts, 0, acts.length, k.epilogue(0).act(act, 0.1f).actGrad(act, 0.1f, c, 0).build());
            }
            double sum = 0;
            for (float v : acts) {
                sum += v;
            }
            for (float v : c) {
                sum += v;
            }
            for (float v : y) {
                sum += v;
            }
            System.out.println(Kernels.backend().name() + " " + sum + " " + stats[0]);
        }
    }
}
