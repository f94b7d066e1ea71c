package nnc.runtime.kernels.act;

/**
 * One activation, declared once, in one file: its name in the language and its formula, the
 * float formula (the definition the kernels are held to), the double-precision reference (the
 * compiler's interpreter and gradient checks), the vector loops of the SIMD backend, its
 * constants, and the weight initialiser that suits the layer before it.
 * {@link nnc.runtime.kernels.Act} lists them; the op table, the layers, the contract suite and
 * the gradient checks all iterate that list.
 *
 * <p>The derivative is computed from the value backward keeps: the output {@code y}, or the
 * input {@code x} where {@code y} does not determine it ({@link GradFrom#INPUT}: GELU, swish).
 *
 * <p>The vector loops live in a nested class that only {@link #vectorLoops()} names, so the
 * scalar backend runs without the {@code jdk.incubator.vector} module: that class is loaded
 * by the SIMD backend alone, and nothing in the declaration's own code mentions a vector type.
 */
public abstract class ActivationFunction {
    /** The weight initialiser a linear or convolution layer followed by this activation gets. */
    public enum Init {
        /** He (Kaiming): variance 2 / fan-in, for the ReLU family. */
        HE,
        /** Glorot (Xavier): variance 2 / (fan-in + fan-out). */
        GLOROT
    }

    /** What the derivative is a function of. */
    public enum GradFrom {
        OUTPUT, INPUT
    }

    private final String name;
    private final String formula;
    private final Init init;
    private final GradFrom gradFrom;
    private final double defaultAlpha;

    /**
     * @param name         the layer name in a {@code .nn} file
     * @param formula      the formula, for {@code nnc help layers}
     * @param defaultAlpha the default of the {@code alpha} argument, or NaN for an activation without one
     */
    protected ActivationFunction(String name, String formula, Init init, GradFrom gradFrom, double defaultAlpha) {
        this.name = name;
        this.formula = formula;
        this.init = init;
        this.gradFrom = gradFrom;
        this.defaultAlpha = defaultAlpha;
    }

    protected ActivationFunction(String name, String formula, Init init, GradFrom gradFrom) {
        this(name, formula, init, gradFrom, Double.NaN);
    }

    public final String name() {
        return name;
    }

    public final String formula() {
        return formula;
    }

    public final Init init() {
        return init;
    }

    public final GradFrom gradFrom() {
        return gradFrom;
    }

    /** True when the layer takes a slope {@code alpha} (leaky ReLU). */
    public final boolean takesAlpha() {
        return !Double.isNaN(defaultAlpha);
    }

    public final double defaultAlpha() {
        return defaultAlpha;
    }

    /** {@code f(x)} in float: the definition. */
    public abstract float apply(float x, float alpha);

    /** {@code f'} from {@code s}, the output or the input ({@link #gradFrom()}), in float. */
    public abstract float grad(float s, float alpha);

    /** {@code f(x)} in double precision: the reference. */
    public abstract double reference(double x, double alpha);

    /** {@code f'} from {@code s} in double precision. */
    public abstract double referenceGrad(double s, double alpha);

    /** The vector loops; call only from the SIMD backend (it loads the vector classes). */
    public abstract VectorLoops vectorLoops();

    /**
     * An activation's loops over arrays on the Vector API. Each returns how many elements it
     * did, from the start; the caller finishes the rest with {@link #apply} or {@link #grad}.
     * No vector crosses a call: a vector passed to a method C2 does not inline is boxed.
     */
    public interface VectorLoops {
        /** {@code v[off + i] = f(v[off + i])}. */
        int apply(float[] v, int off, int len, float alpha);

        /** {@code v[off + i] *= f'(s[sOff + i])}. */
        int grad(float[] v, int off, int len, float[] s, int sOff, float alpha);
    }
}
