package nnc.runtime.kernels;

import nnc.runtime.kernels.act.ActivationFunction;
import nnc.runtime.kernels.act.Gelu;
import nnc.runtime.kernels.act.LeakyRelu;
import nnc.runtime.kernels.act.Relu;
import nnc.runtime.kernels.act.Sigmoid;
import nnc.runtime.kernels.act.Swish;
import nnc.runtime.kernels.act.Tanh;

/**
 * The activations: one constant each, declared in its own {@link ActivationFunction} (float
 * formula, double reference, vector loops, constants, initialiser). The op table, the layers,
 * the kernels, the contract suite and the gradient checks iterate this list, so adding an
 * activation is its declaration and one line here.
 */
public enum Act {
    RELU(new Relu()),
    LEAKY_RELU(new LeakyRelu()),
    SIGMOID(new Sigmoid()),
    TANH(new Tanh()),
    /** The tanh approximation of GELU (PyTorch's {@code approximate='tanh'}). */
    GELU(new Gelu()),
    /** x sigmoid(x), also called SiLU. */
    SWISH(new Swish());

    private final ActivationFunction f;

    Act(ActivationFunction f) {
        this.f = f;
        if (!f.name().equals(name().toLowerCase())) {
            throw new IllegalStateException("internal error: Act." + name() + " declares '" + f.name() + "'");
        }
    }

    /** The declaration. */
    public ActivationFunction function() {
        return f;
    }

    /** True when the derivative is a function of the input rather than the output. */
    public boolean gradFromInput() {
        return f.gradFrom() == ActivationFunction.GradFrom.INPUT;
    }

    /** {@code f(x)}: the float formula, the definition the SIMD loops are held to. */
    public float apply(float x, float alpha) {
        return f.apply(x, alpha);
    }

    /** {@code f'} from the output (or the input, {@link #gradFromInput()}). */
    public float grad(float s, float alpha) {
        return f.grad(s, alpha);
    }

    /** The activation a layer of that name applies, or null. */
    public static Act byName(String layerName) {
        for (Act a : values()) {
            if (a.f.name().equals(layerName)) {
                return a;
            }
        }
        return null;
    }
}
