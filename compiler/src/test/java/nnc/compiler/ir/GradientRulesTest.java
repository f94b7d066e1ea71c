package nnc.compiler.ir;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import nnc.compiler.diag.Span;
import nnc.compiler.ir.ops.Dropout;
import nnc.compiler.ir.ops.Loss;
import nnc.runtime.kernels.Act;
import nnc.runtime.kernels.Kernels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Every gradient rule in the op table against double-precision finite differences. */
class GradientRulesTest {
    @Test
    void matmul() {
        new GradientCheck(Ops.MATMUL, null, TensorType.batched(5), TensorType.fixed(4, 5)).check(0, 1);
    }

    @Test
    void biasAddPerFeatureAndPerChannel() {
        new GradientCheck(Ops.BIAS_ADD, null, TensorType.batched(6), TensorType.fixed(6)).check(0, 1);
        new GradientCheck(Ops.BIAS_ADD, null, TensorType.batched(3, 2, 2), TensorType.fixed(3)).check(0, 1);
    }

    @ParameterizedTest
    @EnumSource(value = Act.class, names = {"RELU", "LEAKY_RELU", "SIGMOID", "TANH", "GELU"})
    void activations(Act act) {
        new GradientCheck(Ops.activation(act), act == Act.LEAKY_RELU ? 0.1f : null, TensorType.batched(7))
                .shape(0, x -> 3 * GradientCheck.awayFromZero(x)).check(0);
    }

    @Test
    void dropoutUsesTheSameMaskBackward() {
        new GradientCheck(Ops.DROPOUT, new Dropout.Attrs(0.4f, 99), TensorType.batched(50)).check(0);
    }

    @Test
    void residualAdd() {
        new GradientCheck(Ops.ADD, null, TensorType.batched(2, 3), TensorType.batched(2, 3)).check(0, 1);
    }

    @Test
    void softmax() {
        new GradientCheck(Ops.SOFTMAX, null, TensorType.batched(6)).shape(0, x -> 4 * x).check(0);
    }

    @Test
    void reshape() {
        new GradientCheck(Ops.RESHAPE, TensorType.fixed(12), TensorType.batched(3, 2, 2)).check(0);
    }

    @ParameterizedTest(name = "conv2d {0}")
    @org.junit.jupiter.params.provider.ValueSource(strings = {"3x3 valid", "3x3 same", "stride 2 pad 1", "1x1",
        "2x3 stride 2x1"})
    void conv2d(String which) {
        nnc.runtime.kernels.ConvGeom g = switch (which) {
            case "3x3 valid" -> new nnc.runtime.kernels.ConvGeom(2, 5, 6, 3, 3, 3, 1, 1, 0, 0, 3, 4);
            case "3x3 same" -> new nnc.runtime.kernels.ConvGeom(2, 5, 5, 2, 3, 3, 1, 1, 1, 1, 5, 5);
            case "stride 2 pad 1" -> new nnc.runtime.kernels.ConvGeom(3, 7, 6, 2, 3, 3, 2, 2, 1, 1, 4, 3);
            case "1x1" -> new nnc.runtime.kernels.ConvGeom(4, 3, 3, 2, 1, 1, 1, 1, 0, 0, 3, 3);
            default -> new nnc.runtime.kernels.ConvGeom(2, 6, 5, 3, 2, 3, 2, 1, 0, 0, 3, 3);
        };
        new GradientCheck(Ops.CONV2D, g, TensorType.batched(g.c(), g.h(), g.w()),
                TensorType.fixed(g.o(), g.c(), g.kh(), g.kw())).rows(2).check(0, 1);
    }

    @Test
    void pooling() {
        nnc.runtime.kernels.PoolGeom g = new nnc.runtime.kernels.PoolGeom(2, 6, 7, 2, 2, 2, 2, 0, 0, 3, 3);
        new GradientCheck(Ops.MAXPOOL, g, TensorType.batched(2, 6, 7)).check(0);
        new GradientCheck(Ops.AVGPOOL, g, TensorType.batched(2, 6, 7)).check(0);
        nnc.runtime.kernels.PoolGeom padded = new nnc.runtime.kernels.PoolGeom(1, 5, 5, 3, 3, 2, 2, 1, 1, 3, 3);
        new GradientCheck(Ops.MAXPOOL, padded, TensorType.batched(1, 5, 5)).check(0);
        new GradientCheck(Ops.AVGPOOL, padded, TensorType.batched(1, 5, 5)).check(0);
        nnc.runtime.kernels.PoolGeom global = new nnc.runtime.kernels.PoolGeom(3, 4, 4, 4, 4, 1, 1, 0, 0, 1, 1);
        new GradientCheck(Ops.AVGPOOL, global, TensorType.batched(3, 4, 4)).check(0);
    }

    /** Includes the path through the batch statistics, for 1d and 2d batch norm. */
    @Test
    void batchNorm() {
        var a = new nnc.compiler.ir.ops.BatchNorm.Attrs(1e-5f, 0.1f);
        for (TensorType x : new TensorType[] {TensorType.batched(5), TensorType.batched(3, 2, 3)}) {
            TensorType c = TensorType.fixed(x.dim(0));
            new GradientCheck(Ops.BATCHNORM, a, x, c, c, c, c).rows(4).shape(4, v -> 1.5 + v).check(0, 1, 2);
        }
    }

    @Test
    void concat() {
        new GradientCheck(Ops.CONCAT, null, TensorType.batched(2, 3, 3), TensorType.batched(3, 3, 3)).check(0, 1);
        new GradientCheck(Ops.CONCAT, null, TensorType.batched(4), TensorType.batched(1), TensorType.batched(2))
                .check(0, 1, 2);
    }

    /** A loss node's value is the gradient of (summed loss / rows) with respect to its input. */
    @ParameterizedTest
    @EnumSource(Kernels.Loss.class)
    void losses(Kernels.Loss kind) {
        int rows = 4;
        int cols = 5;
        boolean classes = kind == Kernels.Loss.NLL || kind == Kernels.Loss.SOFTMAX_CROSS_ENTROPY;
        boolean probabilities = kind == Kernels.Loss.NLL || kind == Kernels.Loss.BCE;
        Origin o = new Origin(Span.NONE, "loss", "loss", Origin.Phase.LOSS);
        Graph.Builder b = new Graph.Builder("loss", Graph.Mode.TRAIN);
        TensorType yt = TensorType.batched(cols);
        TensorType tt = classes ? TensorType.batched(1) : yt;
        int y = b.addTyped(Ops.INPUT, yt, o, List.of(), yt);
        int t = b.addTyped(Ops.TARGET, tt, o, List.of(), tt);
        int loss = b.addChecked(Ops.LOSS, new Loss.Attrs(kind, true), o, y, t);
        Graph g = b.build();
        SplittableRandom rng = new SplittableRandom(3);
        double[] yv = new double[rows * cols];
        for (int i = 0; i < yv.length; i++) {
            yv[i] = probabilities ? rng.nextDouble(0.05, 0.95) : rng.nextDouble(-2, 2);
        }
        double[] tv = new double[rows * tt.size()];
        for (int i = 0; i < tv.length; i++) {
            tv[i] = classes ? rng.nextInt(cols) : kind == Kernels.Loss.MSE ? rng.nextDouble(-1, 1) : rng.nextInt(2);
        }
        Map<Integer, double[]> feeds = new HashMap<>(Map.of(y, yv, t, tv));
        double[] analytic = Interpreter.run(g, rows, feeds, 0).value(loss);
        for (int e = 0; e < yv.length; e++) {
            double saved = yv[e];
            yv[e] = saved + GradientCheck.H;
            double plus = Interpreter.run(g, rows, feeds, 0).stats()[0] / rows;
            yv[e] = saved - GradientCheck.H;
            double minus = Interpreter.run(g, rows, feeds, 0).stats()[0] / rows;
            yv[e] = saved;
            double numeric = (plus - minus) / (2 * GradientCheck.H);
            assertEquals(numeric, analytic[e], GradientCheck.TOLERANCE * Math.max(1, Math.abs(numeric)),
                    kind + " element " + e);
        }
    }
}
