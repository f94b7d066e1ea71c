package nnc.bench;

import nnc.runtime.bench.Operands;
import nnc.runtime.kernels.ConvGeom;
import nnc.runtime.kernels.Epilogue;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;

/** The tutorial CNN's two 3x3 convolutions at batch 64: forward, backward-data, backward-weights. */
public class ConvBench extends KernelBench {
    /** conv1: 1->32 channels on 28x28; conv2: 32->64 on 13x13. */
    @Param({"conv1", "conv2"})
    public String layer;

    @Param({"2"})
    public int threads;

    private static final int N = 64;
    private ConvGeom g;
    private float[] x, w, y, dy, dx, dw;
    private Epilogue bias;

    @Setup(Level.Trial)
    public void setUp() {
        g = layer.equals("conv1") ? Operands.CONV1 : Operands.CONV2;
        x = random(N * g.inSize(), 1);
        w = random(g.weightSize(), 2);
        y = new float[N * g.outSize()];
        dy = random(N * g.outSize(), 3);
        dx = new float[N * g.inSize()];
        dw = new float[g.weightSize()];
        bias = k.epilogue(0).bias(random(g.o(), 4), 0, g.p(), g.o()).build();
        open(threads);
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
