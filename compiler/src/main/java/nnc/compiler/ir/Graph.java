package nnc.compiler.ir;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The graph IR: nodes in topological order (an input always comes before its users), the
 * model's input, output and target values, and — after Differentiate — the gradient value of
 * every trainable parameter. Immutable; passes build a new one with {@link Builder}.
 */
public final class Graph {
    /** What a graph computes. */
    public enum Mode {
        /** The network as written, before it is specialised for training or inference. */
        NETWORK,
        /** Forward in training mode, the loss, and backward. */
        TRAIN,
        /** Forward in inference mode, optionally the loss without gradients. */
        INFER
    }

    private final String name;
    private final Mode mode;
    private final List<Node> nodes;
    private final int input;
    private final int output;
    private final int target;
    private final int loss;
    private final Map<Integer, Integer> paramGrads;
    private final List<List<Integer>> users;

    private Graph(String name, Mode mode, List<Node> nodes, int input, int output, int target, int loss,
                  Map<Integer, Integer> paramGrads) {
        this.name = name;
        this.mode = mode;
        this.nodes = List.copyOf(nodes);
        this.input = input;
        this.output = output;
        this.target = target;
        this.loss = loss;
        this.paramGrads = Collections.unmodifiableMap(new LinkedHashMap<>(paramGrads));
        List<List<Integer>> u = new ArrayList<>();
        for (int i = 0; i < nodes.size(); i++) {
            u.add(new ArrayList<>());
        }
        for (int i = 0; i < nodes.size(); i++) {
            if (nodes.get(i).id() != i) {
                throw new IllegalStateException("internal error: node ids must be their positions");
            }
        }
        for (Node n : nodes) {
            for (int in : n.inputs()) {
                if (in >= n.id()) {
                    throw new IllegalStateException("internal error: " + n + " uses a later value %" + in);
                }
                if (!u.get(in).contains(n.id())) {
                    u.get(in).add(n.id());
                }
            }
        }
        this.users = u.stream().map(List::copyOf).toList();
    }

    public String name() {
        return name;
    }

    public Mode mode() {
        return mode;
    }

    public List<Node> nodes() {
        return nodes;
    }

    public Node node(int id) {
        return nodes.get(id);
    }

    public int size() {
        return nodes.size();
    }

    public int input() {
        return input;
    }

    public int output() {
        return output;
    }

    /** The target value (training and evaluation), or -1. */
    public int target() {
        return target;
    }

    /** The loss node, or -1. */
    public int loss() {
        return loss;
    }

    /** Parameter node id to the id of its gradient value (TRAIN graphs). */
    public Map<Integer, Integer> paramGrads() {
        return paramGrads;
    }

    /** Nodes that read value {@code id}, in order. */
    public List<Integer> users(int id) {
        return users.get(id);
    }

    public TensorType type(int id) {
        return nodes.get(id).type();
    }

    /** True when value {@code id} is a parameter (a source in the parameter array). */
    public boolean isParam(int id) {
        return nodes.get(id).op() == Ops.PARAM;
    }

    /** Parameter nodes in order. */
    public List<Node> params() {
        return nodes.stream().filter(n -> n.op() == Ops.PARAM).toList();
    }

    /** One line per node, for {@code --dump}. */
    public String dump() {
        StringBuilder out = new StringBuilder();
        out.append("graph ").append(name).append(" (").append(mode.name().toLowerCase()).append(")\n");
        for (Node n : nodes) {
            out.append("  ").append(n);
            if (n.attrs() != null) {
                out.append("  ").append(n.attrs());
            }
            out.append(n.origin().isBackward() ? "  # backward of " : "  # ").append(n.origin().layer()).append('\n');
        }
        out.append("  input %").append(input).append(", output %").append(output);
        if (target >= 0) {
            out.append(", target %").append(target);
        }
        if (loss >= 0) {
            out.append(", loss %").append(loss);
        }
        out.append('\n');
        paramGrads.forEach((p, g) -> out.append("  grad ").append(((ParamAttrs) node(p).attrs()).name())
                .append(" = %").append(g).append('\n'));
        return out.toString();
    }

    public Builder toBuilder() {
        Builder b = new Builder(name, mode);
        b.nodes.addAll(nodes);
        b.input = input;
        b.output = output;
        b.target = target;
        b.loss = loss;
        b.paramGrads.putAll(paramGrads);
        return b;
    }

    /** Appends nodes, inferring each one's type from its op's shape rule. */
    public static final class Builder {
        private final String name;
        private Mode mode;
        private final List<Node> nodes = new ArrayList<>();
        private int input = -1;
        private int output = -1;
        private int target = -1;
        private int loss = -1;
        private final Map<Integer, Integer> paramGrads = new LinkedHashMap<>();

        public Builder(String name, Mode mode) {
            this.name = name;
            this.mode = mode;
        }

        public String name() {
            return name;
        }

        /** Adds a node; its type comes from {@code op.infer}, which may reject the inputs. */
        public int add(Op op, Object attrs, Origin origin, List<Integer> inputs) throws ShapeException {
            List<TensorType> types = new ArrayList<>();
            for (int i : inputs) {
                types.add(nodes.get(i).type());
            }
            TensorType t = op.infer(types, attrs);
            return addTyped(op, attrs, origin, inputs, t);
        }

        public int add(Op op, Object attrs, Origin origin, Integer... inputs) throws ShapeException {
            return add(op, attrs, origin, List.of(inputs));
        }

        /** Adds a node whose inputs are known to fit (passes after shape inference). */
        public int addChecked(Op op, Object attrs, Origin origin, Integer... inputs) {
            try {
                return add(op, attrs, origin, List.of(inputs));
            } catch (ShapeException e) {
                throw new IllegalStateException("internal error: " + op.name() + " rejected inputs that "
                        + "shape inference accepted: " + e.getMessage(), e);
            }
        }

        public int addTyped(Op op, Object attrs, Origin origin, List<Integer> inputs, TensorType type) {
            int id = nodes.size();
            nodes.add(new Node(id, op, inputs, attrs, type, origin));
            return id;
        }

        public Node node(int id) {
            return nodes.get(id);
        }

        public TensorType type(int id) {
            return nodes.get(id).type();
        }

        public int size() {
            return nodes.size();
        }

        public Builder mode(Mode mode) {
            this.mode = mode;
            return this;
        }

        public Builder input(int id) {
            this.input = id;
            return this;
        }

        public Builder output(int id) {
            this.output = id;
            return this;
        }

        public Builder target(int id) {
            this.target = id;
            return this;
        }

        public Builder loss(int id) {
            this.loss = id;
            return this;
        }

        /** The input, output, target, loss and parameter gradients of {@code g}, each id mapped by {@code map}. */
        public Builder rootsOf(Graph g, int[] map) {
            input(map[g.input()]).output(map[g.output()]);
            if (g.target() >= 0) {
                target(map[g.target()]);
            }
            if (g.loss() >= 0) {
                loss(map[g.loss()]);
            }
            g.paramGrads().forEach((p, grad) -> paramGrad(map[p], map[grad]));
            return this;
        }

        public Builder paramGrad(int param, int grad) {
            paramGrads.put(param, grad);
            return this;
        }

        public int output() {
            return output;
        }

        public Graph build() {
            return new Graph(name, mode, nodes, input, output, target, loss, paramGrads);
        }
    }
}
