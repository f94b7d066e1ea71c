package nnc.compiler.ir;

import com.palantir.javapoet.CodeBlock;

/**
 * What an op's {@code emit} may refer to in the generated method: where each value lives
 * ({@code array, offset} after memory planning), the row count, the exec, the kernels, the
 * epilogue of a fused group and the per-step state.
 */
public interface EmitContext {
    /** {@code array, offset} of a value, for a kernel argument pair. */
    CodeBlock ref(int value);

    /** The array holding a value ({@code arena}, {@code params} or {@code grads}). */
    CodeBlock array(int value);

    /** The offset expression of a value. */
    CodeBlock offset(int value);

    /** The batch rows of this call: {@code n}. */
    CodeBlock rows();

    /** The executor: {@code exec}. */
    CodeBlock exec();

    /** The kernel facade: {@code K}. */
    CodeBlock kernels();

    /** The epilogue field of the group this anchor starts, or {@code Epilogue.NONE}. */
    CodeBlock epilogue(Node anchor);

    /** The per-call loss statistics array. */
    CodeBlock stats();

    /** The dropout key holder. */
    CodeBlock stepKey();

    /**
     * A {@code static final} constant of the generated class (a convolution's geometry, say),
     * named after {@code hint}; equal constants are shared. Returns its name.
     */
    CodeBlock constant(Class<?> type, CodeBlock initializer, String hint);

    /** The graph being emitted. */
    Graph graph();
}
