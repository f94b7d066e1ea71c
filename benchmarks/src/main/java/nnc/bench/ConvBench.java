package nnc.bench;

import java.util.concurrent.TimeUnit;
import nnc.runtime.bench.Operands;
import nnc.runtime.exec.Exec;
import nnc.runtime.kernels.ConvGeom;
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

/** The tutorial CNN's two 3x3 convolutions at batch 64: forward, backward-data, backward-weights. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 10, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-XX:+UseParallelGC"})
public class ConvBench {
    /** conv1: 1->32 channels on 28x28; conv2: 32->64 on 13x13. */
    @Param({"conv1", "conv2"})
    public String layer;

    @Param({"2"})
    public int threads;

    private static final int N = 64;
    private final Kernels k = Kernels.active();
    private Exec exec;
    private ConvGeom g;
    private float[] x, w, y, dy, dx, dw;
    private Epilogue bias;

    @Setup(Level.Trial)
    public void setUp() {
        g = layer.equals("conv1") ? Operands.CONV1 : Operands.CONV2;
        x = BenchState.random(N * g.inSize(), 1);
        w = BenchState.random(g.weightSize(), 2);
        y = new float[N * g.outSize()];
        dy = BenchState.random(N * g.outSize(), 3);
        dx = new float[N * g.inSize()];
        dw = new float[g.weightSize()];
        bias = k.epilogue(0).bias(BenchState.random(g.o(), 4), 0, g.p(), g.o()).build();
        exec = BenchState.exec(threads);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        exec.close();
    }

    @Benchmark
    public float[] forward() {
        k.conv2d(exec, g, N, x, 0, w, 0, y, 0, bias);
        return y;
    }

    @Benchmark
    public float[] backwardData() {
        k.conv2dBackwardData(exec, g, N, dy, 0, w, 0, dx, 0, Epilogue.NONE);
        return dx;
    }

    @Benchmark
    public float[] backwardWeights() {
        k.conv2dBackwardWeights(exec, g, N, dy, 0, x, 0, dw, 0);
        return dw;
    }
}
