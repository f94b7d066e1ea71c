package nnc.bench;

import nnc.runtime.kernels.Act;
import nnc.runtime.kernels.Epilogue;
import nnc.runtime.kernels.Kernels;
import nnc.runtime.kernels.PoolGeom;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;

/**
 * Memory-bound passes on the tutorial CNN's first feature map ([64, 32, 26, 26], 5.5 MB):
 * 2x2 max pooling forward and backward (with the ReLU gradient fused), a bias + ReLU pass,
 * softmax + cross-entropy on [64, 10], and one Adam update over the MLP's 235,146 parameters.
 */
public class PassBench extends KernelBench {
    @Param({"1", "2"})
    public int threads;

    private static final int N = 64;
    private static final int PARAMS = 235_146;
    private final PoolGeom pool = new PoolGeom(32, 26, 26, 2, 2, 2, 2, 0, 0, 13, 13);
    private float[] map, pooled, dPooled, dMap, logits, targets, dLogits, stats;
    private float[] p, g, m, v;
    private Epilogue biasRelu, reluGrad;

    @Setup(Level.Trial)
    public void setUp() {
        int size = N * 32 * 26 * 26;
        map = random(size, 1);
        pooled = new float[N * 32 * 13 * 13];
        dPooled = random(pooled.length, 2);
        dMap = new float[size];
        biasRelu = k.epilogue(0).bias(random(32, 3), 0, 26 * 26, 32).act(Act.RELU, 0).build();
        reluGrad = k.epilogue(0).actGrad(Act.RELU, 0, map, 0).build();
        logits = random(N * 10, 4);
        targets = new float[N];
        for (int i = 0; i < N; i++) {
            targets[i] = i % 10;
        }
        dLogits = new float[N * 10];
        stats = new float[2];
        p = random(PARAMS, 5);
        g = random(PARAMS, 6);
        m = new float[PARAMS];
        v = new float[PARAMS];
        open(threads);
    }

    @Benchmark
    public float[] maxPool() {
        k.maxPool(exec, pool, N, map, 0, pooled, 0, Epilogue.NONE);
        return pooled;
    }

    @Benchmark
    public float[] maxPoolBackwardReluGrad() {
        k.maxPoolBackward(exec, pool, N, dPooled, 0, map, 0, dMap, 0, reluGrad);
        return dMap;
    }

    @Benchmark
    public float[] biasRelu() {
        k.pointwise(exec, map, 0, dMap, 0, map.length, biasRelu);
        return dMap;
    }

    @Benchmark
    public float[] softmaxCrossEntropy() {
        k.loss(exec, Kernels.Loss.SOFTMAX_CROSS_ENTROPY, logits, 0, N, 10, targets, 0, dLogits, 0, stats);
        return dLogits;
    }

    @Benchmark
    public float[] adam() {
        k.adam(exec, PARAMS, p, g, m, v, 1e-3f, 0.9f, 0.999f, 1e-8f, 0f, 0.1f, 0.001f);
        return p;
    }
}
