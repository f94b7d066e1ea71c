package nnc.runtime.kernels;

import java.util.ArrayList;
import java.util.List;

/**
 * A short program of pointwise steps that a producing kernel (GEMM, convolution, or a plain
 * pointwise pass) runs on each block of its output while the block is still in cache, so a
 * fused chain such as {@code linear -> bias -> relu -> dropout} writes its output once.
 *
 * <p>An epilogue is bound to one output tensor that starts at array offset {@link #base()};
 * a segment at array offset {@code off} is element {@code off - base} of that tensor, which
 * is how bias channels, dropout masks and the side operands ({@code Add}, {@code ActGrad},
 * {@code Store}: tensors laid out like the output) are addressed. Built once per model, never
 * per step.
 */
public final class Epilogue {
    /** One step; side operands are {@code (array, base)} pairs laid out like the output. */
    public sealed interface Step {
    }

    public record Bias(float[] b, int bOff, int inner, int channels) implements Step {
    }

    public record Activation(Act act, float alpha) implements Step {
    }

    /** Batch norm on running statistics (inference), per channel like {@link Bias}. */
    public record BatchNorm(float[] p, int gammaOff, int betaOff, int meanOff, int varOff, float eps, int inner,
                            int channels) implements Step {
    }

    /** {@code v *= act'(src)}: the gradient through an activation. */
    public record ActivationGrad(Act act, float alpha, float[] src, int srcBase) implements Step {
    }

    public record Add(float[] src, int srcBase) implements Step {
    }

    /**
     * Inverted dropout; {@code salt} tells apart the masks of two dropout layers in one step;
     * {@code width} is the values per sample (rows of the tensor), for {@link StepKey#rows}.
     */
    public record Dropout(float p, StepKey key, int salt, int width) implements Step {
    }

    /** Writes the current value to a second tensor (an intermediate that backward needs). */
    public record Store(float[] dst, int dstBase) implements Step {
    }

    public record Scale(float s) implements Step {
    }

    public static final Epilogue NONE = new Epilogue(Kernels.backend().elementwise(), 0, List.of());

    private final Elementwise elt;
    private final int base;
    private final Step[] steps;

    public Epilogue(Elementwise elt, int base, List<Step> steps) {
        this.elt = elt;
        this.base = base;
        this.steps = steps.toArray(new Step[0]);
    }

    public static Builder on(int base) {
        return new Builder(Kernels.backend().elementwise(), base);
    }

    public static Builder on(Elementwise elt, int base) {
        return new Builder(elt, base);
    }

    public int base() {
        return base;
    }

    public boolean isEmpty() {
        return steps.length == 0;
    }

    public int size() {
        return steps.length;
    }

    /**
     * How many leading steps a kernel that stores whole channel planes of {@code plane}
     * elements, the first {@code from} elements past {@link #base()}, can run itself as it
     * stores: a {@link Bias} over such planes, then a ReLU, either of them missing (0 to 2).
     */
    public int leadingBiasRelu(int plane, int from) {
        int k = 0;
        if (k < steps.length && steps[k] instanceof Bias b && b.inner == plane && Math.floorMod(from, plane) == 0) {
            k++;
        }
        if (k < steps.length && steps[k] instanceof Activation a && a.act == Act.RELU) {
            k++;
        }
        return k;
    }

    /**
     * 1 when the first step is a ReLU, which a kernel may apply itself as it stores (batch norm's
     * normalisation does), else 0: the number of leading steps such a kernel takes over.
     */
    public int leadingRelu() {
        return steps.length > 0 && steps[0] instanceof Activation a && a.act == Act.RELU ? 1 : 0;
    }

    /**
     * When the first step is the gradient of a ReLU (slope 0) or leaky ReLU (its alpha) whose
     * output is {@code src} itself, laid out like this epilogue's tensor starting at
     * {@code srcOff} for the output's {@code off}: that slope, which a kernel may apply itself as
     * it stores ({@code src <= 0 ? g * slope : g}, the elementwise kernels' operations). Else NaN,
     * and also when {@code 0 * slope} is not +0, so that elements given no gradient stay +0
     * whichever way.
     */
    public float leadingActivationGradSlope(float[] src, int srcOff, int off) {
        if (steps.length == 0 || !(steps[0] instanceof ActivationGrad g) || g.src != src
                || g.srcBase - base != srcOff - off) {
            return Float.NaN;
        }
        float slope = switch (g.act) {
            case RELU -> 0f;
            case LEAKY_RELU -> g.alpha;
            default -> Float.NaN;
        };
        return Float.floatToRawIntBits(0f * slope) == 0 ? slope : Float.NaN;
    }

    /** Step {@code i}, in the order they run (a kernel may apply leading steps itself). */
    public Step step(int i) {
        return steps[i];
    }

    /** Runs every step on {@code v[off, off + len)}, one step at a time over the segment. */
    public void apply(float[] v, int off, int len) {
        apply(0, v, off, len);
    }

    /** Runs steps {@code [from, size)} on {@code v[off, off + len)}: the rest after a kernel applied the first. */
    public void apply(int from, float[] v, int off, int len) {
        int idx = off - base;
        for (int i = from; i < steps.length; i++) {
            Step s = steps[i];
            switch (s) {
                case Bias b -> elt.bias(v, off, len, idx, b.b, b.bOff, b.inner, b.channels);
                case Activation a -> elt.act(a.act, a.alpha, v, off, len);
                case BatchNorm bn -> elt.batchNorm(v, off, len, idx, bn.p, bn.gammaOff, bn.betaOff, bn.meanOff, bn.varOff,
                        bn.eps, bn.inner, bn.channels);
                case ActivationGrad g -> elt.actGrad(g.act, g.alpha, v, off, len, g.src, g.srcBase + idx);
                case Add a -> elt.add(v, off, len, a.src, a.srcBase + idx);
                case Dropout d -> dropout(d, v, off, len, idx);
                case Store st -> System.arraycopy(v, off, st.dst, st.dstBase + idx, len);
                case Scale sc -> elt.scale(v, off, len, sc.s);
            }
        }
    }

    /**
     * The mask of element {@code idx} is keyed by its index; when the step key places the rows
     * elsewhere in a larger batch ({@link StepKey#rows}), by the index it has there.
     */
    private void dropout(Dropout d, float[] v, int off, int len, int idx) {
        int key = DropoutMask.salted(d.key.get(), d.salt);
        int threshold = DropoutMask.threshold(d.p);
        float scale = 1f / (1f - d.p);
        int[] rows = d.key.rows();
        if (rows == null) {
            elt.dropout(v, off, len, idx, key, threshold, scale);
            return;
        }
        int w = d.width;
        for (int done = 0; done < len; ) {
            int at = idx + done;
            int piece = Math.min(len - done, w - at % w);
            elt.dropout(v, off + done, piece, rows[at / w] * w + at % w, key, threshold, scale);
            done += piece;
        }
    }

    @Override
    public String toString() {
        List<String> names = new ArrayList<>();
        for (Step s : steps) {
            names.add(s.getClass().getSimpleName().toLowerCase());
        }
        return "Epilogue" + names;
    }

    /** Collects steps in the order they run. */
    public static final class Builder {
        private final Elementwise elt;
        private final int base;
        private final List<Step> steps = new ArrayList<>();

        Builder(Elementwise elt, int base) {
            this.elt = elt;
            this.base = base;
        }

        public Builder bias(float[] b, int bOff, int inner, int channels) {
            steps.add(new Bias(b, bOff, inner, channels));
            return this;
        }

        public Builder batchNorm(float[] p, int gammaOff, int betaOff, int meanOff, int varOff, float eps, int inner,
                                 int channels) {
            steps.add(new BatchNorm(p, gammaOff, betaOff, meanOff, varOff, eps, inner, channels));
            return this;
        }

        public Builder act(Act act, float alpha) {
            steps.add(new Activation(act, alpha));
            return this;
        }

        public Builder actGrad(Act act, float alpha, float[] src, int srcBase) {
            steps.add(new ActivationGrad(act, alpha, src, srcBase));
            return this;
        }

        public Builder add(float[] src, int srcBase) {
            steps.add(new Add(src, srcBase));
            return this;
        }

        public Builder dropout(float p, StepKey key, int salt, int width) {
            if (p > 0) {
                steps.add(new Dropout(p, key, salt, width));
            }
            return this;
        }

        public Builder store(float[] dst, int dstBase) {
            steps.add(new Store(dst, dstBase));
            return this;
        }

        public Builder scale(float s) {
            steps.add(new Scale(s));
            return this;
        }

        public Epilogue build() {
            return new Epilogue(elt, base, steps);
        }
    }
}
