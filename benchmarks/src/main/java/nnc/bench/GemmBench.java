package nnc.bench;

import nnc.runtime.kernels.Epilogue;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;

/**
 * GEMM on the shapes that matter: the square 1024 case and the MNIST MLP's training shapes at
 * batch 64 (forward X.W^T, backward-data dY.W, backward-weights dY^T.X). GFLOP/s = 2*M*N*K /
 * the reported time.
 */
public class GemmBench extends KernelBench {
    /** LAYOUT:M:N:K; NT is A.B^T, TN is A^T.B. */
    @Param({"NN:1024:1024:1024", "NT:64:256:784", "NN:64:784:256", "TN:256:784:64", "NT:64:128:256",
            "NN:64:256:128", "TN:128:256:64"})
    public String shape;

    @Param({"1", "2"})
    public int threads;

    private boolean ta, tb;
    private int m, n, kk;
    private float[] a, b, c;

    @Setup(Level.Trial)
    public void setUp() {
        String[] p = shape.split(":");
        ta = p[0].charAt(0) == 'T';
        tb = p[0].charAt(1) == 'T';
        m = Integer.parseInt(p[1]);
        n = Integer.parseInt(p[2]);
        kk = Integer.parseInt(p[3]);
        a = random(m * kk, 1);
        b = random(kk * n, 2);
        c = new float[m * n];
        open(threads);
    }

    @Benchmark
    public float[] gemm() {
        k.gemm(exec, ta, tb, m, n, kk, a, 0, ta ? m : kk, b, 0, tb ? kk : n, c, 0, n, false, Epilogue.NONE);
        return c;
    }
}
