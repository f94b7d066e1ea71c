package nnc.compiler.codegen;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.SplittableRandom;
import nnc.compiler.CompileResult;
import nnc.compiler.TestModels;
import nnc.runtime.exec.Exec;
import nnc.runtime.model.CompiledModel;
import nnc.runtime.model.TensorSpec;
import nnc.runtime.model.Training;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Prediction keeps the first linear layer's weights transposed for sparse rows (a digit is
 * mostly black): that copy must follow every way the parameters change (initialize, load,
 * training steps, restore, a direct write announced with paramsChanged), and a sparse row's
 * probabilities must be the network's, up to rounding.
 */
class PredictionFollowsWeightsTest {
    @TempDir
    Path tmp;

    /** A digit-like raw sample: black, but for a fifth of the pixels. */
    private static float[] digit(int size, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[size];
        for (int i = 1; i < size; i++) {
            x[i] = r.nextDouble() < 0.2 ? (float) r.nextInt(1, 256) : 0f;
        }
        return x;
    }

    private static CompileResult mlp() throws Exception {
        return TestModels.buildFile(TestModels.root().resolve("samples/mnist_mlp.nn"), true);
    }

    /** What a model made afresh with these parameters predicts: no layout of an earlier version to reuse. */
    private static float[] fresh(CompileResult r, float[] params, float[] x) {
        try (CompiledModel m = r.newModel()) {
            System.arraycopy(params, 0, m.params, 0, params.length);
            return m.predict(x);
        }
    }

    @Test
    void everyChangeOfTheParametersReachesThePredictions() throws Exception {
        CompileResult r = mlp();
        float[] x = digit(784, 1);
        try (CompiledModel m = r.newModel(); Exec exec = Exec.sequential()) {
            m.initialize(1);
            float[] first = m.predict(x);
            assertArrayEquals(fresh(r, m.params, x), first, "initialized");

            m.initialize(2);
            float[] second = m.predict(x);
            assertArrayEquals(fresh(r, m.params, x), second, "initialized again");
            Path saved = tmp.resolve("second.nnw");
            m.save(saved);

            m.initialize(1);
            assertArrayEquals(first, m.predict(x), "back to the first initialization");
            m.loadWeights(saved);
            assertArrayEquals(second, m.predict(x), "loaded");
            m.initialize(1);
            m.predict(x);
            try (java.io.InputStream in = java.nio.file.Files.newInputStream(saved)) {
                m.loadWeights(in, "second.nnw");
            }
            assertArrayEquals(second, m.predict(x), "loaded from a stream");

            Training t = m.newTraining(exec, 4, 3, 0.05f);
            Training.State before = t.save();
            float[] batch = t.arena();
            for (int s = 0; s < 4; s++) {
                System.arraycopy(digit(784, 10 + s), 0, batch, t.inputOffset() + s * 784, 784);
                batch[t.targetOffset() + s] = s;
            }
            t.step(4);
            float[] trained = m.predict(x);
            assertArrayEquals(fresh(r, m.params, x), trained, "after a training step");
            t.restore(before);
            assertArrayEquals(second, m.predict(x), "restored");
            float[] g = new float[t.gradients().length];
            java.util.Arrays.fill(g, 0.01f);
            t.applyGradients(g);
            assertArrayEquals(fresh(r, m.params, x), m.predict(x), "after gradients computed elsewhere");

            for (int i = 0; i < m.params.length; i++) {
                m.params[i] = -m.params[i];
            }
            m.paramsChanged();
            assertArrayEquals(fresh(r, m.params, x), m.predict(x), "written directly, then announced");
        }
    }

    @Test
    void aSparseRowGetsTheNetworksProbabilities() throws Exception {
        try (CompiledModel m = mlp().newModel()) {
            m.initialize(3);
            for (long seed = 0; seed < 5; seed++) {
                float[] x = digit(784, seed);
                float[] expected = reference(m, x);
                float[] got = m.predict(x);
                for (int c = 0; c < 10; c++) {
                    assertEquals(expected[c], got[c], 1e-5, "sample " + seed + ", class " + c);
                }
            }
        }
    }

    /** The MNIST MLP in double: the serving's scale and shift (pixels to [0, 1], normalize), three linear layers with ReLU between, softmax. */
    private static float[] reference(CompiledModel m, float[] raw) {
        double[] h = new double[raw.length];
        float scale = m.spec().serving().scale()[0];
        float shift = m.spec().serving().shift()[0];
        for (int i = 0; i < raw.length; i++) {
            h[i] = raw[i] * (double) scale + shift;
        }
        for (int layer = 1; layer <= 3; layer++) {
            TensorSpec w = m.spec().tensor("linear_" + layer + ".weight");
            TensorSpec b = m.spec().tensor("linear_" + layer + ".bias");
            int out = w.shape()[0];
            int in = w.shape()[1];
            double[] y = new double[out];
            for (int o = 0; o < out; o++) {
                double s = m.params[b.offset() + o];
                for (int i = 0; i < in; i++) {
                    s += m.params[w.offset() + o * in + i] * h[i];
                }
                y[o] = layer < 3 ? Math.max(0, s) : s;
            }
            h = y;
        }
        double max = java.util.Arrays.stream(h).max().orElseThrow();
        double sum = 0;
        for (double v : h) {
            sum += Math.exp(v - max);
        }
        float[] p = new float[h.length];
        for (int c = 0; c < h.length; c++) {
            p[c] = (float) (Math.exp(h[c] - max) / sum);
        }
        return p;
    }
}
