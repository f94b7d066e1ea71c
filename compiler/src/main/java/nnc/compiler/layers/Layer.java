package nnc.compiler.layers;

import java.util.List;
import nnc.compiler.ir.ShapeException;

/**
 * A word of the .nn vocabulary ({@code linear}, {@code conv2d}, {@code relu}, ...): its
 * signature and how one application expands into IR ops. Shapes are known at expansion, so
 * parameter shapes follow from the input; the ops' shape rules check the rest.
 */
public interface Layer {
    String name();

    List<ArgSpec> signature();

    /** One line for {@code docs/language.md} and {@code nnc help layers}. */
    String doc();

    /** Adds the ops of one application to {@code inputs}; returns the output value. */
    int expand(Expansion x, List<Integer> inputs, Args args) throws ShapeException;

    /**
     * True when the layer passes its input's scale through (dropout, batch norm, identity):
     * the layer before it picks its initialiser from the activation after this one.
     */
    default boolean keepsScale() {
        return false;
    }

    /** How many piped values it takes (1 for all but add and concat). */
    default int inputs() {
        return 1;
    }
}
