package nnc.compiler.layers;

import nnc.compiler.diag.Span;
import nnc.compiler.ir.InitSpec;
import nnc.compiler.ir.Op;
import nnc.compiler.ir.ShapeException;
import nnc.compiler.ir.TensorType;

/** What a layer may do while it expands into ops: add ops and parameters, look at types. */
public interface Expansion {
    /** Adds an op node; its shape rule may reject the inputs. */
    int op(Op op, Object attrs, Integer... inputs) throws ShapeException;

    /** Adds a parameter named {@code <layer>.<suffix>}. */
    int param(String suffix, TensorType type, InitSpec init, boolean trainable) throws ShapeException;

    TensorType type(int value);

    /** The layer instance's name, e.g. {@code linear_2}. */
    String layerName();

    /**
     * The activation this layer's output goes through next (looking past dropout and batch
     * norm), or null: ReLU-family activations get He initialisation, the rest Glorot.
     */
    String activationAfter();

    Span span();
}
