package nnc.compiler.ir;

/**
 * A parameter tensor: its name in the weights file ({@code linear_1.weight}), its initial
 * value, and whether the optimizer updates it (batch-norm running statistics are not).
 */
public record ParamAttrs(String name, TensorType type, InitSpec init, boolean trainable) {
}
