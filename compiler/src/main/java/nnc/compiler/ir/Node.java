package nnc.compiler.ir;

import java.util.List;

/**
 * One operation in the graph IR; its id is also the id of the value it produces. Immutable:
 * passes build new graphs.
 *
 * @param attrs the op's parameters (an op-specific record), or null
 */
public record Node(int id, Op op, List<Integer> inputs, Object attrs, TensorType type, Origin origin) {
    public Node {
        inputs = List.copyOf(inputs);
    }

    public int input(int i) {
        return inputs.get(i);
    }

    @SuppressWarnings("unchecked")
    public <A> A attrs(Class<A> type) {
        if (!type.isInstance(attrs)) {
            throw new IllegalStateException("internal error: " + op.name() + " node " + id + " has attributes "
                    + attrs + ", expected " + type.getSimpleName());
        }
        return (A) attrs;
    }

    @Override
    public String toString() {
        return "%" + id + " = " + op.name() + inputs.stream().map(i -> "%" + i).toList() + " : " + type;
    }
}
