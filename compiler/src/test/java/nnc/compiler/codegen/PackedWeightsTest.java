package nnc.compiler.codegen;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Arrays;
import nnc.compiler.CompileResult;
import nnc.compiler.NncCompiler;
import nnc.compiler.diag.SourceFile;
import nnc.runtime.exec.Exec;
import nnc.runtime.model.CompiledModel;
import nnc.runtime.model.Predictor;
import nnc.runtime.model.Training;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A prediction of one sample reads packed copies of the larger weight matrices, made when the
 * parameters last changed. Whatever changes them (loading weights, initializing, a training
 * step, a direct write followed by {@code paramsChanged}), the next single prediction gives the
 * bits a batch predictor, which reads the weights as stored, gives for the same sample.
 */
class PackedWeightsTest {
    private static final String MODEL = """
            model Packed {
                input x: [96]
                x -> linear(40) -> relu -> batchnorm -> linear(24) -> relu -> linear(3)
            }
            data d = csv("unused.csv")
            train Packed on d {
                loss      cross_entropy
                optimizer sgd(lr: 0.05)
                batch     4
                epochs    1
            }
            """;

    private static CompiledModel compile() {
        CompileResult r = NncCompiler.compile(new SourceFile("packed.nn", MODEL), NncCompiler.Options.defaults());
        assertTrue(r.ok(), r::render);
        return r.newModel();
    }

    private static float[] sample() {
        float[] x = new float[96];
        for (int i = 0; i < x.length; i++) {
            x[i] = (37 * i + 11) % 256 / 256f;
        }
        return x;
    }

    /** The single prediction, checked against a batch predictor's (weights read as stored). */
    private static float[] predictBoth(CompiledModel m, String when) {
        float[] single = m.predict(sample());
        float[] stored = new float[single.length];
        Predictor batch = m.newPredictor(Exec.sequential(), 2);
        batch.predict(sample(), 0, 1, stored, 0);
        assertArrayEquals(stored, single, when + ": the single prediction read stale weights");
        return single;
    }

    private static void assertChanged(float[] before, float[] after, String when) {
        assertTrue(!Arrays.equals(before, after), when + ": the prediction did not change at all");
    }

    @Test
    void singlePredictionsFollowEveryChangeOfTheWeights(@TempDir Path dir) throws Exception {
        CompiledModel m = compile();
        m.initialize(1);
        float[] first = predictBoth(m, "initialized");

        m.initialize(2);
        float[] reinitialized = predictBoth(m, "initialized again");
        assertChanged(first, reinitialized, "initialize");

        CompiledModel other = compile();
        other.initialize(3);
        Path file = dir.resolve("other.nnw");
        other.save(file);
        m.loadWeights(file);
        float[] loaded = predictBoth(m, "after loadWeights");
        assertArrayEquals(other.predict(sample()), loaded, "loaded weights");

        Training t = m.newTraining(Exec.sequential(), 4, 5, 0.05f);
        float[] in = t.arena();
        for (int r = 0; r < 4; r++) {  // four different rows: batch norm makes identical ones give no gradient
            for (int i = 0; i < 96; i++) {
                in[t.inputOffset() + r * 96 + i] = (37 * i + 53 * r) % 256 / 256f;
            }
            in[t.targetOffset() + r] = r % 3;
        }
        t.step(4);
        assertChanged(loaded, predictBoth(m, "after a training step"), "a training step");

        float[] stepped = m.predict(sample());
        for (int i = 0; i < m.params.length; i++) {
            m.params[i] *= 0.5f;
        }
        m.paramsChanged();
        assertChanged(stepped, predictBoth(m, "after a direct write and paramsChanged"), "a direct write");
    }
}
