package nnc.compiler.ir;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.DoubleUnaryOperator;
import nnc.compiler.diag.Span;

/**
 * Checks an op's gradient rule against central finite differences, both in double precision
 * through the {@link Interpreter}: for a random upstream gradient {@code dy}, the rule's
 * gradient of input {@code i} must equal {@code d/dx_i sum(dy * op(x))}.
 */
final class GradientCheck {
    /** Finite-difference step. */
    static final double H = 1e-5;
    /** Allowed error relative to max(1, |numeric|). */
    static final double TOLERANCE = 1e-6;
    /** Elements checked per input (all of them when fewer). */
    static final int SAMPLES = 40;

    private static final Origin ORIGIN = Origin.forward(Span.NONE, "test", "test");

    private final Op op;
    private final Object attrs;
    private final List<TensorType> types;
    private final List<DoubleUnaryOperator> inputShapers = new ArrayList<>();
    private int rows = 3;
    private int stepKey = 12345;

    GradientCheck(Op op, Object attrs, TensorType... types) {
        this.op = op;
        this.attrs = attrs;
        this.types = List.of(types);
        for (int i = 0; i < types.length; i++) {
            inputShapers.add(x -> x);
        }
    }

    /** Maps input {@code i}'s uniform(-1, 1) draws (keep probabilities in range, avoid kinks). */
    GradientCheck shape(int i, DoubleUnaryOperator f) {
        inputShapers.set(i, f);
        return this;
    }

    GradientCheck rows(int rows) {
        this.rows = rows;
        return this;
    }

    /**
     * Checks the gradient of every input in {@code inputs}; returns the graph checked (the op,
     * its gradient ops and their sources), for {@code OpCoverageTest}.
     */
    Graph check(int... inputs) {
        Graph.Builder b = new Graph.Builder("check", Graph.Mode.TRAIN);
        List<Integer> ids = new ArrayList<>();
        for (int i = 0; i < types.size(); i++) {
            ids.add(source(b, types.get(i), "in" + i));
        }
        int y;
        try {
            y = b.add(op, attrs, ORIGIN, ids);
        } catch (ShapeException e) {
            throw new AssertionError("the op rejected the test shapes: " + e.getMessage());
        }
        int dy = source(b, b.type(y), "dy");
        Node node = b.node(y);
        int[] grads = op.gradient(new GradContext() {
            @Override
            public int add(Op o, Object a, Integer... in) {
                return b.addChecked(o, a, ORIGIN.backwardOf(), in);
            }

            @Override
            public boolean needs(int i) {
                return true;
            }

            @Override
            public TensorType type(int value) {
                return b.type(value);
            }
        }, node, dy);
        Graph g = b.build();

        SplittableRandom rng = new SplittableRandom(7);
        Map<Integer, double[]> feeds = new HashMap<>();
        for (int i = 0; i < ids.size(); i++) {
            feeds.put(ids.get(i), random(g.type(ids.get(i)), rng, inputShapers.get(i)));
        }
        feeds.put(dy, random(g.type(dy), rng, x -> x));
        Interpreter.Run run = Interpreter.run(g, rows, feeds, stepKey);

        for (int i : inputs) {
            assertTrue(grads[i] >= 0, op.name() + ": no gradient for input " + i);
            double[] analytic = run.value(grads[i]);
            double[] x = feeds.get(ids.get(i));
            int step = Math.max(1, x.length / SAMPLES);
            for (int e = 0; e < x.length; e += step) {
                double saved = x[e];
                x[e] = saved + H;
                double plus = objective(g, feeds, y, dy);
                x[e] = saved - H;
                double minus = objective(g, feeds, y, dy);
                x[e] = saved;
                double numeric = (plus - minus) / (2 * H);
                double err = Math.abs(analytic[e] - numeric) / Math.max(1, Math.abs(numeric));
                assertTrue(err < TOLERANCE, String.format("%s: d/d input %d [%d]: rule %.9g, finite differences %.9g",
                        op.name(), i, e, analytic[e], numeric));
            }
        }
        return g;
    }

    /** {@code sum(dy * y)}: its gradient with respect to y is dy. */
    private double objective(Graph g, Map<Integer, double[]> feeds, int y, int dy) {
        Interpreter.Run r = Interpreter.run(g, rows, feeds, stepKey);
        double s = 0;
        double[] yv = r.value(y);
        double[] d = feeds.get(dy);
        for (int k = 0; k < yv.length; k++) {
            s += yv[k] * d[k];
        }
        return s;
    }

    private int source(Graph.Builder b, TensorType t, String name) {
        if (t.batched()) {
            return b.addTyped(Ops.INPUT, t, ORIGIN, List.of(), t);
        }
        return b.addTyped(Ops.PARAM, new ParamAttrs(name, t, new InitSpec.Constant(0), true), ORIGIN, List.of(), t);
    }

    private double[] random(TensorType t, SplittableRandom rng, DoubleUnaryOperator f) {
        double[] v = new double[t.size() * (t.batched() ? rows : 1)];
        for (int i = 0; i < v.length; i++) {
            v[i] = f.applyAsDouble(rng.nextDouble(-1, 1));
        }
        return v;
    }

    /** Moves values away from 0, where ReLU-like functions have a kink. */
    static double awayFromZero(double x) {
        return x >= 0 ? x + 0.05 : x - 0.05;
    }
}
