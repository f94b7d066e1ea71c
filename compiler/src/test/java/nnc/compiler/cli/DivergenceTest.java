package nnc.compiler.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import nnc.compiler.runs.KeyValues;
import nnc.runtime.io.CheckpointFile;
import nnc.runtime.train.Checkpoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Acceptance 3 of issue 11: a run with a huge learning rate stops with exit code 1 and a
 * message naming the epoch, the step and the first layer whose output went non-finite; the
 * previous run and the diverged run's last good checkpoint are intact, and no NaN weights are
 * written.
 */
class DivergenceTest {
    @TempDir
    Path tmp;

    static final String HUGE_LR = """
            model M {
                input x: [2]
                x -> linear(16) -> relu -> linear(16) -> relu -> linear(1)
            }

            data moons = csv("data/moons.csv", targets: 1, test: 0.25)

            train M on moons {
                loss      mse
                optimizer sgd(lr: 1e3)
                batch     32, shuffle
                epochs    3
                seed      1
            }
            """;

    @Test
    void theSuggestedLearningRateIsWrittenAsAPersonWould() {
        assertEquals("1e-3", RunEnd.readable(0.01f / 10), "not 9.999999E-4");
        assertEquals("0.01", RunEnd.readable(0.1f / 10));
        assertEquals("2.5e-4", RunEnd.readable(2.5e-3f / 10));
        assertEquals("1e-5", RunEnd.readable(1e-4f / 10));
        assertEquals("0.25", RunEnd.readable(0.25f));
        assertEquals("100", RunEnd.readable(1e3f / 10));
        assertEquals("1e6", RunEnd.readable(1e7f / 10));
    }

    @Test
    void aHugeLearningRateStopsNamingEpochStepAndLayerAndKeepsWhatWasGood() throws Exception {
        Path file = RunProject.create(tmp.resolve("project"), HUGE_LR.replace("lr: 1e3", "lr: 1e-2"));
        CliRun good = CliRun.of(RunProject.args("train", file, "--epochs", 2, "--limit", 200));
        assertEquals(0, good.exit(), good::toString);
        Path runs = file.getParent().resolve("runs/M");
        Map<String, String> before = RunProject.snapshot(runs.resolve("1"));

        Files.writeString(file, HUGE_LR);
        CliRun r = CliRun.of(RunProject.args("train", file, "--checkpoint-every", 1, "--threads", 1));
        assertEquals(1, r.exit(), r::toString);
        assertFalse(r.hasStackTrace(), r::toString);
        assertTrue(r.err().contains("nnc: training diverged in epoch 1, step 3 of the epoch (step 3 of the run): "
                + "the training loss is Infinity"), r::toString);
        assertTrue(r.err().contains("first non-finite value: in epoch 1, step 3 of the epoch (step 3 of the run), "
                + "the output of linear_3 (bias_add, m.nn:3:54) is -Infinity"), r::toString);
        assertTrue(r.err().contains("= hint: lower the learning rate (sgd lr 1000), e.g. --set lr=100\n"), r::toString);

        assertEquals(before, RunProject.snapshot(runs.resolve("1")), "the previous run is untouched");
        Path run = runs.resolve("2");
        assertFalse(Files.exists(run.resolve("weights.nnw")), "no weights from a diverged run");
        Checkpoint last = CheckpointFile.read(run.resolve("checkpoint.nnck"), null);
        assertEquals(2, last.training().steps(), "the last good checkpoint: after step 2");
        for (float v : last.training().params()) {
            assertTrue(Float.isFinite(v));
        }
        Map<String, String> result = KeyValues.read(run.resolve("result.properties"));
        assertEquals("diverged", result.get("status"));
        assertTrue(result.get("first_non_finite").contains("linear_3"), result::toString);

        CliRun again = CliRun.of("train", "--resume", run.toString());
        assertEquals(1, again.exit(), again::toString);
        assertTrue(again.err().contains("has ended (diverged); nothing to resume"), again::toString);
    }
}
