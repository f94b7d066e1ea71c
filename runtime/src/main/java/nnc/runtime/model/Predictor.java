package nnc.runtime.model;

import nnc.runtime.exec.Exec;

/**
 * Raw inputs in, activated outputs out: one {@link Inference} (an arena for up to
 * {@link #capacity()} samples) plus the model's {@link Serving}. The preprocessing is done as
 * the input is copied into the arena, the output activation as the output is copied out, so
 * a prediction reads each value once more than the network alone does, and allocates nothing.
 *
 * <p>A predictor belongs to one thread at a time. {@link CompiledModel#predict} keeps one per
 * calling thread; code that wants several threads on one large batch makes its own on an
 * {@link Exec} of that many threads: {@code model.newPredictor(Exec.threads(4), 256)}.
 *
 * <p>Shapes: raw {@code [n, inputSize]} row-major, out {@code [n, outputSize]}.
 */
public final class Predictor {
    private final CompiledModel model;
    private final Serving serving;
    private final int inputSize;
    private final int outputSize;
    private final Inference inference;

    Predictor(CompiledModel model, Exec exec, int capacity) {
        this.model = model;
        this.serving = model.spec.serving();
        this.inputSize = model.spec.inputSize();
        this.outputSize = model.spec.outputSize();
        this.inference = model.newInference(exec, capacity);
    }

    /** Samples per run of the network; larger calls run in pieces of this size. */
    public int capacity() {
        return inference.capacity();
    }

    /**
     * Predicts {@code n} samples: raw inputs from {@code raw[rawOff ..]}, outputs (activated:
     * class probabilities for a classifier) to {@code out[outOff ..]}.
     */
    public void predict(float[] raw, int rawOff, int n, float[] out, int outOff) {
        if (model.isClosed()) {
            throw model.closedError();
        }
        Inference inf = inference;
        checkRange(raw, rawOff, n, inputSize, "input");
        checkRange(out, outOff, n, outputSize, "output");
        float[] arena = inf.arena();
        int in = inf.inputOffset();
        int y = inf.outputOffset();
        for (int done = 0; done < n; ) {
            int rows = Math.min(inf.capacity(), n - done);
            serving.prepare(raw, rawOff + done * inputSize, arena, in, rows, inputSize);
            inf.run(rows);
            int dst = outOff + done * outputSize;
            System.arraycopy(arena, y, out, dst, rows * outputSize);
            serving.activate(out, dst, rows, outputSize);
            done += rows;
        }
    }

    /**
     * Writes {@code n} raw samples as preprocessed network inputs into the arena and runs the
     * network, leaving its raw output (and room for targets) in the arena: for evaluating a
     * loss with {@link Inference#loss}. {@code n} must not exceed the capacity.
     */
    public Inference runRaw(float[] raw, int rawOff, int n) {
        if (model.isClosed()) {
            throw model.closedError();
        }
        Inference inf = inference;
        if (n < 1 || n > inf.capacity()) {
            throw new IllegalArgumentException("rows must be in [1, " + inf.capacity() + "], got " + n);
        }
        checkRange(raw, rawOff, n, inputSize, "input");
        serving.prepare(raw, rawOff, inf.arena(), inf.inputOffset(), n, inputSize);
        inf.run(n);
        return inf;
    }

    private void checkRange(float[] a, int off, int n, int width, String what) {
        if (n < 0 || off < 0 || (long) off + (long) n * width > a.length) {
            throw new IllegalArgumentException(model.spec.name() + ": " + n + " samples of " + width + " " + what
                    + " values from offset " + off + " do not fit an array of " + a.length);
        }
    }
}
