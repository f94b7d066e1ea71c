package nnc.compiler.ir;

/**
 * The fusion class of an op, on TVM's ordered scale. FuseOps decides what may share a
 * kernel from these classes alone; it never names an op.
 */
public enum Pattern {
    /** Inputs and parameters: no kernel. */
    SOURCE,
    /** One output element from the same element of each input (relu, add, dropout). */
    ELEMWISE,
    /** Elementwise with a smaller operand repeated along some axes (bias add). */
    BROADCAST,
    /** Moves elements without arithmetic (flatten, concat, slice). */
    INJECTIVE,
    /** Combines many input elements into one output element (sums, softmax, pooling). */
    REDUCTION,
    /** A heavy kernel whose output can go through an elementwise epilogue (GEMM, conv). */
    OUT_FUSABLE,
    /** Everything else. */
    OPAQUE;

    /** Can run as a step of an epilogue. */
    public boolean isPointwise() {
        return this == ELEMWISE || this == BROADCAST;
    }
}
