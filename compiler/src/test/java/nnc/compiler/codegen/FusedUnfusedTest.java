package nnc.compiler.codegen;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
 * parameters after one optimizer step, and the inference outputs agree within float rounding
 * (the fused kernels only reorder a few operations: p - onehot instead of the chain rule
 * through softmax, an epilogue instead of a second pass).
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

            a.step(ROWS);
            b.step(ROWS);
            compare(fused, fused.params, unfused.params, false, sample + " parameters after one step");

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
