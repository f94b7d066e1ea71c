package nnc.compiler.pass;

import java.util.ArrayList;
import java.util.List;
import nnc.compiler.ir.GradContext;
import nnc.compiler.diag.Diagnostics;
import nnc.compiler.ir.Graph;
import nnc.compiler.ir.Node;
import nnc.compiler.ir.Op;
import nnc.compiler.ir.Ops;
import nnc.compiler.ir.ParamAttrs;
import nnc.compiler.ir.TensorType;

/**
 * Pass: reverse-mode differentiation at compile time. Appends to a TRAIN graph the nodes
 * that compute the gradient of the loss with respect to every trainable parameter.
 *
 * <ol>
 *   <li>A value needs a gradient when it depends on a trainable parameter; nothing is
 *       computed for the rest (no input gradient for the first layer).</li>
 *   <li>The loss node's value is the gradient of its input: the seed.</li>
 *   <li>Forward nodes are visited in reverse order; each one's output gradient is the sum
 *       of what its users contributed ({@code add} nodes when there are several), and its
 *       op's gradient rule adds the nodes for its inputs' contributions.</li>
 *   <li>Each trainable parameter's summed contribution is recorded as its gradient.</li>
 * </ol>
 */
public final class Differentiate implements Pass<Graph, Graph> {
    @Override
    public Graph run(Graph g, Diagnostics d) {
        if (g.mode() != Graph.Mode.TRAIN || g.loss() < 0) {
            throw new IllegalStateException("internal error: Differentiate needs a TRAIN graph with a loss");
        }
        int lossId = g.loss();
        boolean[] needs = new boolean[g.size()];
        for (Node n : g.nodes()) {
            if (g.isParam(n.id())) {
                needs[n.id()] = ((ParamAttrs) n.attrs()).trainable();
            } else if (n.id() < lossId) {
                for (int in : n.inputs()) {
                    needs[n.id()] |= needs[in];
                }
            }
        }
        Graph.Builder b = g.toBuilder();
        List<List<Integer>> contributions = new ArrayList<>();
        for (int i = 0; i < g.size(); i++) {
            contributions.add(new ArrayList<>());
        }
        Node lossNode = g.node(lossId);
        contributions.get(lossNode.input(0)).add(lossId);

        for (int id = lossId - 1; id >= 0; id--) {
            Node node = g.node(id);
            if (!needs[id] || contributions.get(id).isEmpty() || g.isParam(id)) {
                continue;
            }
            int dy = sum(b, contributions.get(id), node);
            boolean deadBias = isDeadBias(g, node);
            boolean[] need = needs;
            if (deadBias) {
                need = needs.clone();
                need[node.input(node.op().channelBiasInput())] = false;
            }
            int[] grads = node.op().gradient(new Context(b, node, need), node, dy);
            for (int i = 0; i < node.inputs().size(); i++) {
                int in = node.input(i);
                if (need[in] && grads[i] >= 0) {
                    contributions.get(in).add(grads[i]);
                }
            }
        }
        for (Node p : g.params()) {
            if (needs[p.id()] && !contributions.get(p.id()).isEmpty()) {
                b.paramGrad(p.id(), sum(b, contributions.get(p.id()), p));
            }
        }
        return b.build();
    }

    /**
     * A bias whose sum goes only into batch norm (in training, over the same channels): the
     * mean subtraction cancels it exactly, so its gradient is zero and no kernel computes it.
     * The parameter stays (its gradient buffer stays zero); {@link #deadBiases} lists them.
     */
    static boolean isDeadBias(Graph g, Node node) {
        int b = node.op().channelBiasInput();
        if (b < 0 || !g.isParam(node.input(b))) {
            return false;
        }
        List<Integer> users = g.users(node.id());
        return users.size() == 1 && g.node(users.get(0)).op().cancelsChannelShift()
                && g.node(users.get(0)).input(0) == node.id() && node.id() != g.output();
    }

    /** The names of the parameters {@link #isDeadBias} leaves without a gradient, in graph order. */
    public static List<String> deadBiases(Graph g) {
        List<String> names = new ArrayList<>();
        for (Node n : g.nodes()) {
            ParamAttrs bias = isDeadBias(g, n) ? (ParamAttrs) g.node(n.input(n.op().channelBiasInput())).attrs() : null;
            if (bias != null && bias.trainable()) {
                names.add(bias.name());
            }
        }
        return names;
    }

    private static int sum(Graph.Builder b, List<Integer> parts, Node of) {
        int total = parts.get(0);
        for (int i = 1; i < parts.size(); i++) {
            total = b.addChecked(Ops.ADD, null, of.origin().backwardOf(), total, parts.get(i));
        }
        return total;
    }

    private record Context(Graph.Builder b, Node node, boolean[] needs) implements GradContext {
        @Override
        public int add(Op op, Object attrs, Integer... inputs) {
            return b.addChecked(op, attrs, node.origin().backwardOf(), inputs);
        }

        @Override
        public boolean needs(int i) {
            return needs[node.input(i)];
        }

        @Override
        public TensorType type(int value) {
            return b.type(value);
        }
    }
}
