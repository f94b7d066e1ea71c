package nnc.compiler.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import nnc.compiler.CompileResult;
import nnc.compiler.NncCompiler;
import nnc.compiler.diag.SourceFile;
import nnc.runtime.model.CompiledModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The three problems a new user met with {@code nnc predict} (issue 10), each pinned: a model
 * ending in softmax got a second one, the data's normalize was not applied, and weights were
 * looked up relative to the current directory (so running elsewhere used initial weights).
 */
class PredictRegressionTest {
    @TempDir
    Path tmp;

    /** Logits z = (1, 2, 3) for the input (1, 1): softmax once gives 0.665241 for class 2; twice, 0.419. */
    static final String SOFTMAX_MODEL = """
            model Soft {
                input x: [2]
                x -> linear(3, weight: [[0.5, 0.5], [1, 1], [1.5, 1.5]], bias: [0, 0, 0]) -> softmax
            }
            data d = csv("d.csv", targets: 1, test: 0.5)
            train Soft on d {
                loss cross_entropy
                optimizer sgd(lr: 0.1)
                batch 1
                epochs 1
            }
            """;

    @Test
    void aModelEndingInSoftmaxGetsItOnce() throws Exception {
        Path nn = write("soft.nn", SOFTMAX_MODEL);
        CliRun r = CliRun.of("predict", nn.toString(), "--input", "1,1");
        assertEquals(0, r.exit(), r::toString);
        assertEquals("class 2 (probability 0.665241)", r.out().strip(), r::toString);

        CompiledModel m = compile(SOFTMAX_MODEL);
        m.initialize(0);
        float[] p = m.predict(new float[] {1, 1});
        assertEquals(1.0, p[0] + p[1] + p[2], 1e-6);
        assertEquals(0.665241f, m.classify(new float[] {1, 1}).probability(), 1e-6f);
    }

    @Test
    void aModelEndingInLogitsGetsOneSoftmax() throws Exception {
        String logits = SOFTMAX_MODEL.replace(" -> softmax", "").replace("Soft", "Logits");
        Path nn = write("logits.nn", logits);
        CliRun r = CliRun.of("predict", nn.toString(), "--input", "1,1", "--top", "3");
        assertEquals(0, r.exit(), r::toString);
        assertEquals("2 (0.665241), 1 (0.244728), 0 (0.0900306)", r.out().strip(), r::toString);
    }

    /** The network sees (x - 2) / 4: the raw input 10 reaches it as 2, and the identity layer returns 2. */
    static final String NORMALIZED = """
            model Scaled {
                input x: [1]
                x -> linear(1, weight: [[1]], bias: [0])
            }
            data d = csv("d.csv", targets: 1, test: 0.5) | normalize(mean: 2, std: 4)
            train Scaled on d {
                loss mse
                optimizer sgd(lr: 0.1)
                batch 1
                epochs 1
            }
            """;

    @Test
    void predictionsApplyTheDatasNormalize() throws Exception {
        Path nn = write("scaled.nn", NORMALIZED);
        CliRun r = CliRun.of("predict", nn.toString(), "--input", "10");
        assertEquals(0, r.exit(), r::toString);
        assertEquals("2", r.out().strip(), "raw 10 normalised is (10 - 2) / 4: " + r);

        Path rows = write("rows.csv", "x,y\n10,0\n-2,0\n");
        r = CliRun.of("predict", nn.toString(), rows.toString());
        assertEquals(0, r.exit(), r::toString);
        assertEquals(List.of(rows + ":2: 2", rows + ":3: -1"), r.out().strip().lines().toList(), r::toString);

        CompiledModel m = compile(NORMALIZED);
        m.initialize(0);
        assertEquals(2f, m.predict(new float[] {10})[0]);
    }

    /** An input the normalize takes past the float range is the input's fault (exit 1), not an nnc bug (exit 3). */
    @Test
    void anInputThatPreprocessingOverflowsIsABadInput() throws Exception {
        Path nn = write("tiny.nn", NORMALIZED.replace("std: 4", "std: 0.001"));
        Path rows = write("rows.csv", "x,y\n10,0\n1e38,0\n");
        CliRun r = CliRun.of("predict", nn.toString(), rows.toString());
        assertEquals(1, r.exit(), r::toString);
        assertTrue(r.err().contains(rows + ":3: Scaled: input value 0 of sample 1 is 1.0E38, which the preprocessing "
                + "takes past the float range"), r::toString);
        assertFalse(r.err().contains("internal error") || r.hasStackTrace(), r::toString);
    }

    /**
     * The latest run next to the .nn file is used from any working directory, and a command run
     * elsewhere never picks up that folder's runs (a decoy here: the same model trained there
     * with another seed), nor silently runs a model on initial weights.
     */
    @Test
    void weightsAreFoundFromTheNnFileNotTheWorkingDirectory() throws Exception {
        String text = NORMALIZED.replace(", weight: [[1]], bias: [0]", "");
        String rows = "x,y\n" + "1,2\n".repeat(3) + "3,4\n".repeat(3);
        Path project = Files.createDirectories(tmp.resolve("project"));
        Path nn = Files.writeString(project.resolve("scaled.nn"), text);
        Files.writeString(project.resolve("d.csv"), rows);
        Path elsewhere = Files.createDirectories(tmp.resolve("elsewhere"));
        Path decoy = Files.writeString(elsewhere.resolve("scaled.nn"), text);
        Files.writeString(elsewhere.resolve("d.csv"), rows);

        Subprocess none = Subprocess.nnc(elsewhere, "predict", nn.toString(), "--input", "10");
        assertEquals(1, none.exit(), "no run beside the .nn file must be an error, not initial weights: " + none);
        assertTrue(none.err().contains("neither fixed in") && none.err().contains("nor trained"), none::toString);

        assertEquals(0, CliRun.of("train", nn.toString(), "--epochs", "1", "--seed", "1").exit());
        assertEquals(0, CliRun.of("train", decoy.toString(), "--epochs", "1", "--seed", "2").exit());
        Subprocess here = Subprocess.nnc(project, "predict", nn.toString(), "--input", "10");
        Subprocess there = Subprocess.nnc(elsewhere, "predict", nn.toString(), "--input", "10");
        Subprocess decoyRun = Subprocess.nnc(elsewhere, "predict", decoy.toString(), "--input", "10");
        assertEquals(0, there.exit(), there::toString);
        assertEquals(here.out(), there.out(), "the same weights from either folder");
        assertFalse(decoyRun.out().equals(there.out()), "the decoy's weights differ: " + decoyRun + there);
        assertTrue(there.err().contains("weights from " + project.toRealPath().resolve("runs/Scaled/1"))
                || there.err().contains("weights from " + project.resolve("runs/Scaled/1")), there::toString);
        assertFalse(there.hasStackTrace(), there::toString);
    }

    private Path write(String name, String text) throws Exception {
        return Files.writeString(tmp.resolve(name), text, StandardCharsets.UTF_8);
    }

    private static CompiledModel compile(String text) {
        CompileResult r = NncCompiler.compile(new SourceFile("test.nn", text), NncCompiler.Options.defaults());
        assertTrue(r.ok(), r::render);
        return r.newModel();
    }
}
