package nnc.compiler.ir;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import nnc.compiler.diag.Span;
import nnc.compiler.ir.ops.BatchNorm;
import nnc.compiler.ir.ops.Dropout;
import nnc.compiler.ir.ops.Loss;
import nnc.runtime.kernels.Act;
import nnc.runtime.kernels.ConvGeom;
import nnc.runtime.kernels.Kernels;
import nnc.runtime.kernels.PoolGeom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every gradient rule in the op table against double-precision finite differences, as a table
 * of cases. Each case returns the graphs it checked, so {@link OpCoverageTest} can tell which
 * ops (forward and gradient) the table reaches; activations and losses come from their lists,
 * so a new one is checked without being named here.
 */
class GradientRulesTest {
    /** One check; running it returns the graphs it checked. */
    record Case(String name, Supplier<List<Graph>> check) {
        @Override
        public String toString() {
            return name;
        }
    }

    static List<Case> cases() {
        List<Case> c = new ArrayList<>();
        c.add(one("matmul", () -> new GradientCheck(Ops.MATMUL, null, TensorType.batched(5), TensorType.fixed(4, 5))
                .check(0, 1)));
        c.add(new Case("bias_add per feature and per channel", () -> List.of(
                new GradientCheck(Ops.BIAS_ADD, null, TensorType.batched(6), TensorType.fixed(6)).check(0, 1),
                new GradientCheck(Ops.BIAS_ADD, null, TensorType.batched(3, 2, 2), TensorType.fixed(3)).check(0, 1))));
        for (Act act : Act.values()) {
            c.add(one(act.function().name(), () -> new GradientCheck(Ops.activation(act),
                    act.function().takesAlpha() ? 0.1f : null, TensorType.batched(7))
                    .shape(0, x -> 3 * GradientCheck.awayFromZero(x)).check(0)));
        }
        c.add(one("dropout uses the same mask backward", () -> new GradientCheck(Ops.DROPOUT, new Dropout.Attrs(0.4f, 99),
                TensorType.batched(50)).check(0)));
        c.add(one("residual add", () -> new GradientCheck(Ops.ADD, null, TensorType.batched(2, 3), TensorType.batched(2, 3))
                .check(0, 1)));
        c.add(one("softmax", () -> new GradientCheck(Ops.SOFTMAX, null, TensorType.batched(6)).shape(0, x -> 4 * x)
                .check(0)));
        c.add(one("reshape", () -> new GradientCheck(Ops.RESHAPE, TensorType.fixed(12), TensorType.batched(3, 2, 2))
                .check(0)));
        for (String which : List.of("3x3 valid", "3x3 same", "stride 2 pad 1", "1x1", "2x3 stride 2x1")) {
            c.add(one("conv2d " + which, () -> conv2d(which)));
        }
        c.add(new Case("pooling: 2x2, padded 3x3 stride 2, global", GradientRulesTest::pooling));
        c.add(new Case("batchnorm 1d and 2d, through the batch statistics", GradientRulesTest::batchNorm));
        c.add(new Case("concat", () -> List.of(
                new GradientCheck(Ops.CONCAT, null, TensorType.batched(2, 3, 3), TensorType.batched(3, 3, 3)).check(0, 1),
                new GradientCheck(Ops.CONCAT, null, TensorType.batched(4), TensorType.batched(1), TensorType.batched(2))
                        .check(0, 1, 2))));
        for (Kernels.Loss kind : Kernels.Loss.values()) {
            c.add(one("loss " + kind, () -> loss(kind)));
        }
        return c;
    }

    private static Case one(String name, Supplier<Graph> check) {
        return new Case(name, () -> List.of(check.get()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void gradientRuleMatchesFiniteDifferences(Case c) {
        c.check().get();
    }

    private static Graph conv2d(String which) {
        ConvGeom g = switch (which) {
            case "3x3 valid" -> new ConvGeom(2, 5, 6, 3, 3, 3, 1, 1, 0, 0, 3, 4);
            case "3x3 same" -> new ConvGeom(2, 5, 5, 2, 3, 3, 1, 1, 1, 1, 5, 5);
            case "stride 2 pad 1" -> new ConvGeom(3, 7, 6, 2, 3, 3, 2, 2, 1, 1, 4, 3);
            case "1x1" -> new ConvGeom(4, 3, 3, 2, 1, 1, 1, 1, 0, 0, 3, 3);
            default -> new ConvGeom(2, 6, 5, 3, 2, 3, 2, 1, 0, 0, 3, 3);
        };
        return new GradientCheck(Ops.CONV2D, g, TensorType.batched(g.c(), g.h(), g.w()),
                TensorType.fixed(g.o(), g.c(), g.kh(), g.kw())).rows(2).check(0, 1);
    }

    private static List<Graph> pooling() {
        List<Graph> graphs = new ArrayList<>();
        PoolGeom g = new PoolGeom(2, 6, 7, 2, 2, 2, 2, 0, 0, 3, 3);
        PoolGeom padded = new PoolGeom(1, 5, 5, 3, 3, 2, 2, 1, 1, 3, 3);
        for (Op op : List.of(Ops.MAXPOOL, Ops.AVGPOOL)) {
            graphs.add(new GradientCheck(op, g, TensorType.batched(2, 6, 7)).check(0));
            graphs.add(new GradientCheck(op, padded, TensorType.batched(1, 5, 5)).check(0));
        }
        PoolGeom global = new PoolGeom(3, 4, 4, 4, 4, 1, 1, 0, 0, 1, 1);
        graphs.add(new GradientCheck(Ops.AVGPOOL, global, TensorType.batched(3, 4, 4)).check(0));
        return graphs;
    }

    /** Includes the path through the batch statistics, for 1d and 2d batch norm. */
    private static List<Graph> batchNorm() {
        List<Graph> graphs = new ArrayList<>();
        var a = new BatchNorm.Attrs(1e-5f, 0.1f);
        for (TensorType x : new TensorType[] {TensorType.batched(5), TensorType.batched(3, 2, 3)}) {
            TensorType c = TensorType.fixed(x.dim(0));
            graphs.add(new GradientCheck(Ops.BATCHNORM, a, x, c, c, c, c).rows(4).shape(4, v -> 1.5 + v).check(0, 1, 2));
        }
        return graphs;
    }

    /** A loss node's value is the gradient of (summed loss / rows) with respect to its input. */
    private static Graph loss(Kernels.Loss kind) {
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
        return g;
    }
}
