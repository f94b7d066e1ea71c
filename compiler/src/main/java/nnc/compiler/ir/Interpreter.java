package nnc.compiler.ir;

import java.util.Map;

/**
 * The reference backend: evaluates a graph in double precision, node by node, with each op's
 * {@code evaluate}. Slow and simple on purpose; it defines what the generated float code must
 * compute, and the gradient checks use it for finite differences.
 */
public final class Interpreter {
    private Interpreter() {
    }

    /** Values fed to sources, by node id, and the per-run context. */
    public record Run(int rows, int stepKey, double[] stats, double[][] values) {
        public double[] value(int node) {
            return values[node];
        }
    }

    /**
     * @param feeds a value for every source node (input, target, param), by node id; batched
     *              values hold {@code rows} samples
     */
    public static Run run(Graph g, int rows, Map<Integer, double[]> feeds, int stepKey) {
        double[][] values = new double[g.size()][];
        double[] stats = new double[2];
        EvalContext ctx = new EvalContext() {
            @Override
            public int rows() {
                return rows;
            }

            @Override
            public int stepKey() {
                return stepKey;
            }

            @Override
            public double[] stats() {
                return stats;
            }
        };
        for (Node n : g.nodes()) {
            if (n.op().pattern() == Pattern.SOURCE) {
                double[] v = feeds.get(n.id());
                if (v == null) {
                    throw new IllegalArgumentException("no value fed for " + n);
                }
                int expected = n.type().size() * (n.type().batched() ? rows : 1);
                if (v.length != expected) {
                    throw new IllegalArgumentException(n + " needs " + expected + " values, got " + v.length);
                }
                values[n.id()] = v;
                continue;
            }
            double[][] in = new double[n.inputs().size()][];
            for (int i = 0; i < in.length; i++) {
                in[i] = values[n.input(i)];
            }
            values[n.id()] = n.op().evaluate(ctx, n, in);
        }
        return new Run(rows, stepKey, stats, values);
    }
}
