package nnc.compiler.codegen;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Method;
import nnc.compiler.Compilation;
import nnc.compiler.CompileResult;
import nnc.compiler.TestModels;
import nnc.compiler.measure.StepProfiler;
import nnc.compiler.measure.SyntheticBatch;
import nnc.runtime.data.Dataset;
import nnc.runtime.exec.Exec;
import nnc.runtime.model.CompiledModel;
import nnc.runtime.model.Inference;
import nnc.runtime.model.TensorSpec;
import nnc.runtime.model.Training;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A model compiled with fusion and the same model compiled with {@code --no-fuse} compute the
 * same thing: from identical parameters and batch, the loss, every parameter gradient, the
 * optimizer's update, and the inference outputs agree within float rounding (the fused
 * kernels only reorder a few operations: p - onehot instead of the chain rule through
 * softmax, an epilogue instead of a second pass, one optimizer pass instead of three).
 *
 * <p>The update is compared from the same gradients (the unfused ones, copied into the fused
 * model), relative to the step size. Comparing parameters after independent steps is not
 * sound: Adam's first step is {@code lr g / (|g| + eps)}, so a gradient within rounding of
 * zero moves a parameter by anything in {@code [-lr, lr]} (0.01513 against 0.01516 on an AVX2
 * machine, from gradients that agreed to 1e-5 of their scale).
 */
class FusedUnfusedTest {
    static final int ROWS = 6;
    /** Relative to the larger of the value and a hundredth of the tensor's largest entry. */
    static final double TOLERANCE = 1e-3;
    /**
     * Plus this fraction of the largest entry of all tensors: a gradient that is zero in exact
     * arithmetic (a bias before batch norm) is rounding noise in both, of unrelated sign.
     */
    static final double NOISE = 1e-5;
    /** Of the learning rate: the float rounding of an update of that size, with margin. */
    static final double UPDATE_NOISE = 1e-5;

    @ParameterizedTest
    @ValueSource(strings = {"perceptron.nn", "moons.nn", "wave.nn", "mnist_mlp.nn", "fashion_cnn.nn",
        "fashion_cnn_bn.nn", "cifar_resnet.nn"})
    void samplesComputeTheSameFusedAndUnfused(String sample) throws Exception {
        CompiledModel fused = model(sample, true);
        CompiledModel unfused = model(sample, false);
        assertArrayEquals(fused.params, unfused.params, "same initial parameters");

        Dataset batch = SyntheticBatch.of(fused.spec(), ROWS, 17);
        try (Exec exec = Exec.threads(2)) {
            Training a = fused.newTraining(exec, ROWS, 5, 1e-2f);
            Training b = unfused.newTraining(exec, ROWS, 5, 1e-2f);
            StepProfiler.load(a, batch);
            StepProfiler.load(b, batch);
            float lossA = a.computeGradients(ROWS);
            float lossB = b.computeGradients(ROWS);
            assertTrue(Math.abs(lossA - lossB) <= 1e-4 * Math.max(1, Math.abs(lossB)), lossA + " vs " + lossB);
            compare(fused, a.gradients(), b.gradients(), true, sample + " gradient");

            float[] before = fused.params.clone();
            System.arraycopy(b.gradients(), 0, a.gradients(), 0, b.gradients().length);
            UPDATE.invoke(a);
            UPDATE.invoke(b);
            compareUpdates(fused, before, fused.params, unfused.params, a.learningRate(), sample + " update");

            Inference ia = fused.newInference(exec, ROWS);
            Inference ib = unfused.newInference(exec, ROWS);
            batch.copyBatch(null, 0, ROWS, ia.arena(), ia.inputOffset(), ia.arena(), ia.targetOffset(), false, null);
            batch.copyBatch(null, 0, ROWS, ib.arena(), ib.inputOffset(), ib.arena(), ib.targetOffset(), false, null);
            ia.run(ROWS);
            ib.run(ROWS);
            int n = ROWS * fused.spec().outputSize();
            float[] oa = java.util.Arrays.copyOfRange(ia.arena(), ia.outputOffset(), ia.outputOffset() + n);
            float[] ob = java.util.Arrays.copyOfRange(ib.arena(), ib.outputOffset(), ib.outputOffset() + n);
            close(oa, ob, 0, n, 0, sample + " inference output");
        }
    }

    /** {@code Training.update()}: one optimizer step from the gradients as they are. */
    private static final Method UPDATE = updateMethod();

    private static Method updateMethod() {
        try {
            Method m = Training.class.getDeclaredMethod("update");
            m.setAccessible(true);
            return m;
        } catch (NoSuchMethodException e) {
            throw new AssertionError(e);
        }
    }

    /**
     * Trainable tensors: the updates {@code after - before}, each within {@link #TOLERANCE} of
     * the other (relative as in {@link #close}) plus {@link #UPDATE_NOISE} of the step size.
     * Other tensors (batch-norm running statistics, updated by forward) by value.
     */
    private static void compareUpdates(CompiledModel m, float[] before, float[] a, float[] b, float lr, String what) {
        float[] da = new float[a.length];
        float[] db = new float[b.length];
        for (int i = 0; i < a.length; i++) {
            da[i] = a[i] - before[i];
            db[i] = b[i] - before[i];
        }
        for (TensorSpec spec : m.spec().tensors()) {
            int from = spec.offset();
            int to = from + spec.size();
            if (spec.trainable()) {
                close(da, db, from, to, UPDATE_NOISE * lr, what + " of " + spec.name());
            } else {
                close(a, b, from, to, 0, what + " " + spec.name());
            }
        }
    }

    private static CompiledModel model(String sample, boolean fuse) throws Exception {
        CompileResult r = TestModels.buildFile(TestModels.root().resolve("samples").resolve(sample), fuse);
        Compilation c = r.compilation();
        CompiledModel m = r.newModel();
        m.initialize(9);
        return m;
    }

    /**
     * Tensor by tensor, so each is judged against its own scale; gradients exist for the
     * trainable tensors only.
     */
    private static void compare(CompiledModel m, float[] a, float[] b, boolean trainableOnly, String what) {
        double global = 0;
        for (float v : b) {
            global = Math.max(global, Math.abs(v));
        }
        for (TensorSpec spec : m.spec().tensors()) {
            if (trainableOnly && !spec.trainable()) {
                continue;
            }
            close(a, b, spec.offset(), spec.offset() + spec.size(), NOISE * global, what + " " + spec.name());
        }
    }

    private static void close(float[] a, float[] b, int from, int to, double noise, String what) {
        double scale = 0;
        for (int i = from; i < to; i++) {
            scale = Math.max(scale, Math.abs(b[i]));
        }
        for (int i = from; i < to; i++) {
            double allowed = TOLERANCE * Math.max(Math.abs(b[i]), 1e-2 * scale) + noise;
            int at = i;
            assertTrue(Math.abs(a[i] - b[i]) <= allowed, () -> String.format("%s [%d]: fused %.7g, unfused %.7g", what, at - from,
                    a[at], b[at]));
        }
    }
}
