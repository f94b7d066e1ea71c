package nnc.compiler.ir;

/** What a gradient rule may do: add backward nodes, and ask which inputs need gradients. */
public interface GradContext {
    /** Adds a backward node (its origin is the forward node's, marked backward). */
    int add(Op op, Object attrs, Integer... inputs);

    /** Whether input {@code i} of the node being differentiated needs a gradient. */
    boolean needs(int i);

    TensorType type(int value);
}
