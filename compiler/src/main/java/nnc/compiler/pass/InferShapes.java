package nnc.compiler.pass;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import nnc.compiler.Limits;
import nnc.compiler.diag.Diagnostics;
import nnc.compiler.diag.Span;
import nnc.compiler.ir.Graph;
import nnc.compiler.ir.InitSpec;
import nnc.compiler.ir.Network;
import nnc.compiler.ir.Network.LayerInfo;
import nnc.compiler.ir.Op;
import nnc.compiler.ir.Ops;
import nnc.compiler.ir.Origin;
import nnc.compiler.ir.ParamAttrs;
import nnc.compiler.ir.ShapeException;
import nnc.compiler.ir.TensorType;
import nnc.compiler.layers.Expansion;
import nnc.compiler.layers.LayerGraph;
import nnc.compiler.layers.LayerGraph.LayerNode;

/**
 * Pass: {@link LayerGraph} to a typed op {@link Graph}.
 *
 * <p>Walks the layer nodes in order. Each layer expands into IR ops through an
 * {@link Expansion}; every op's shape rule runs as it is added, so each value gets its static
 * shape (batch symbolic) and a mismatch is reported at the span of the layer that caused it.
 * Layers expand here rather than earlier because parameter shapes follow from input shapes
 * ({@code linear(256)} on {@code [784]} has a {@code [256, 784]} weight). A failed layer
 * poisons its value and its users are skipped, so each mistake is reported once. Shape
 * assertions are checked last.
 */
public final class InferShapes {
    private InferShapes() {
    }

    public static Network run(LayerGraph lg, Diagnostics d) {
        int before = d.errorCount();
        Network n = infer(lg, d);
        return d.errorCount() > before || n.graph().output() < 0 ? null : n;
    }

    /**
     * As {@link #run}, but returns the layers whose shapes were inferred even when there were
     * errors (the graph's output is -1 then). Also takes a partial layer graph
     * ({@link nnc.compiler.pass.ResolveNames#resolve}), whose output may be -1.
     */
    public static Network infer(LayerGraph lg, Diagnostics d) {
        Graph.Builder g = new Graph.Builder(lg.model(), Graph.Mode.NETWORK);
        int[] valueOf = new int[lg.nodes().size()];
        Arrays.fill(valueOf, -1);
        List<LayerInfo> infos = new ArrayList<>();
        long[] paramTotal = {0};
        for (LayerNode node : lg.nodes()) {
            if (node.layer() == null) {
                Origin origin = Origin.forward(node.span(), "input", "input");
                valueOf[node.id()] = g.addTyped(Ops.INPUT, TensorType.batched(node.inputType().dims()), origin,
                        List.of(), TensorType.batched(node.inputType().dims()));
                g.input(valueOf[node.id()]);
                continue;
            }
            List<Integer> inputs = new ArrayList<>();
            boolean poisoned = false;
            for (int in : node.inputs()) {
                poisoned |= valueOf[in] < 0;
                inputs.add(valueOf[in]);
            }
            if (poisoned) {
                continue;
            }
            Expander x = new Expander(g, lg, node, paramTotal);
            try {
                int out = node.layer().expand(x, inputs, node.args());
                valueOf[node.id()] = out;
                infos.add(new LayerInfo(node.name(), node.path(), node.layer().name(), node.span(), out, x.params));
            } catch (ShapeException e) {
                d.error(e.span() != null ? e.span() : node.span(), e.getMessage(), e.hint());
            } catch (TensorType.TooLarge e) {
                d.error(node.span(), node.layer().name() + ": " + e.getMessage());
            }
        }
        for (LayerGraph.Assertion a : lg.assertions()) {
            int v = valueOf[a.node()];
            if (v < 0) {
                continue;
            }
            TensorType t = g.type(v);
            if (!Arrays.equals(t.dims(), a.dims())) {
                d.error(a.span(), "shape assertion failed: expected " + TensorType.shapeText(a.dims())
                        + ", got " + t.shapeText());
            }
        }
        if (lg.output() >= 0) {
            g.output(valueOf[lg.output()]);
        }
        return new Network(g.build(), infos);
    }

    /** The expansion context of one layer node. */
    private static final class Expander implements Expansion {
        private final Graph.Builder g;
        private final LayerGraph lg;
        private final LayerNode node;
        private final Origin origin;
        final List<Integer> params = new ArrayList<>();
        /** Values of all parameters so far: they live in one array. */
        private final long[] paramTotal;

        Expander(Graph.Builder g, LayerGraph lg, LayerNode node, long[] paramTotal) {
            this.paramTotal = paramTotal;
            this.g = g;
            this.lg = lg;
            this.node = node;
            this.origin = Origin.forward(node.span(), node.qualifiedName(), node.layer().name());
        }

        @Override
        public int op(Op op, Object attrs, Integer... inputs) throws ShapeException {
            return g.add(op, attrs, origin, inputs);
        }

        @Override
        public int param(String suffix, TensorType type, InitSpec init, boolean trainable) throws ShapeException {
            paramTotal[0] += type.size();
            if (paramTotal[0] > Limits.MAX_ELEMENTS) {
                throw new ShapeException("with this layer the model has " + Limits.count(paramTotal[0])
                        + " parameters, more than one array can hold (" + Limits.count(Limits.MAX_ELEMENTS) + ")");
            }
            String name = node.name() + "." + suffix;
            int id = g.addTyped(Ops.PARAM, new ParamAttrs(name, type, init, trainable), origin, List.of(), type);
            params.add(id);
            return id;
        }

        @Override
        public TensorType type(int value) {
            return g.type(value);
        }

        @Override
        public String layerName() {
            return node.name();
        }

        @Override
        public String activationAfter() {
            LayerNode at = node;
            while (true) {
                List<LayerNode> users = lg.users(at.id());
                if (users.size() != 1) {
                    return null;
                }
                LayerNode next = users.get(0);
                if (next.layer() != null && next.layer().keepsScale()) {
                    at = next;
                    continue;
                }
                return next.layer() == null ? "" : next.layer().name();
            }
        }

        @Override
        public Span span() {
            return node.span();
        }
    }
}
