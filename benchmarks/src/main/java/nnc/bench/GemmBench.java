package nnc.bench;

import java.util.concurrent.TimeUnit;
import nnc.runtime.exec.Exec;
import nnc.runtime.kernels.Epilogue;
import nnc.runtime.kernels.Kernels;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * GEMM on the shapes that matter: the square 1024 case and the MNIST MLP's training shapes at
 * batch 64 (forward X.W^T, backward-data dY.W, backward-weights dY^T.X). GFLOP/s = 2*M*N*K /
 * the reported time.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 10, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-XX:+UseParallelGC"})
public class GemmBench {
    /** LAYOUT:M:N:K; NT is A.B^T, TN is A^T.B. */
    @Param({"NN:1024:1024:1024", "NT:64:256:784", "NN:64:784:256", "TN:256:784:64", "NT:64:128:256",
            "NN:64:256:128", "TN:128:256:64"})
    public String shape;

    @Param({"1", "2"})
    public int threads;

    private Exec exec;
    private final Kernels k = Kernels.active();
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
        a = BenchState.random(m * kk, 1);
        b = BenchState.random(kk * n, 2);
        c = new float[m * n];
        exec = BenchState.exec(threads);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        exec.close();
    }

    @Benchmark
    public float[] gemm() {
        k.gemm(exec, ta, tb, m, n, kk, a, 0, ta ? m : kk, b, 0, tb ? kk : n, c, 0, n, false, Epilogue.NONE);
        return c;
    }
}
