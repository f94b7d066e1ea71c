package nnc.compiler.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.nio.file.Files;
import java.nio.file.Path;
import nnc.compiler.runs.KeyValues;
import nnc.runtime.io.CheckpointFile;
import nnc.runtime.train.Checkpoint;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Acceptance 2 of issue 11: Ctrl-C checkpoints, says how to resume and exits 130; twice stops at once. */
class InterruptTest {
    @TempDir
    Path tmp;

    @BeforeEach
    void notOnWindows() {
        assumeFalse(System.getProperty("os.name").startsWith("Windows"), "signals");
    }

    @Test
    void ctrlCWritesACheckpointSaysHowToResumeAndExits130() throws Exception {
        Path file = RunProject.create(tmp.resolve("project"), RunProject.MOONS);
        Path reference = tmp.resolve("reference");
        CliRun ref = CliRun.of(RunProject.args("train", file, RunProject.QUICK, "--threads", 1, "--out", reference));
        assertEquals(0, ref.exit(), ref::toString);
        Path run = file.getParent().resolve("runs/M/1");
        try (TrainProcess p = TrainProcess.start(file.getParent(), 30,
                RunProject.args("train", "m.nn", RunProject.QUICK, "--threads", 1))) {
            assertTrue(p.await(l -> l.startsWith("epoch 2/6"), 120_000), p.err());
            p.signal("INT");
            assertEquals(130, p.waitFor(60), p.err());
            assertTrue(p.err().contains("INT: stopping after this step to write a checkpoint"), p.err());
            assertTrue(p.err().contains("nnc: resume with: ./nnc train m.nn --resume runs/M/1\n"), p.err());
            assertTrue(p.err().matches("(?s).*nnc: interrupted (in|after) epoch [2-6].*"), p.err());
            assertFalse(p.err().contains("\tat "), p.err());
        }
        Checkpoint c = CheckpointFile.read(run.resolve("checkpoint.nnck"), null);
        assertTrue(c.training().steps() > 15, "the checkpoint is the interrupted step's, not epoch 1's");
        assertEquals("interrupted", KeyValues.read(run.resolve("result.properties")).get("status"));
        assertFalse(Files.exists(run.resolve("weights.nnw")), "an unfinished run has no result weights");

        CliRun resumed = CliRun.of("train", "--resume", run.toString());
        assertEquals(0, resumed.exit(), resumed::toString);
        assertEquals(ref.out(), resumed.out());
        assertArrayEquals(Files.readAllBytes(reference.resolve("weights.nnw")), Files.readAllBytes(run.resolve("weights.nnw")));
        assertEquals(RunProject.metricsWithoutSeconds(reference), RunProject.metricsWithoutSeconds(run));
        assertEquals("finished", KeyValues.read(run.resolve("result.properties")).get("status"));
    }

    @Test
    void aSecondCtrlCStopsAtOnceAndTheLastCheckpointStillLoads() throws Exception {
        Path file = RunProject.create(tmp.resolve("project"), RunProject.MOONS);
        try (TrainProcess p = TrainProcess.start(file.getParent(), 1000,
                RunProject.args("train", "m.nn", RunProject.QUICK, "--threads", 1, "--checkpoint-every", 3))) {
            assertTrue(p.await(l -> l.startsWith("nnc: test: writing") && l.endsWith(".nnck"), 120_000), p.err());
            assertTrue(p.await(l -> l.startsWith("nnc: test: writing") && l.endsWith(".nnck"), 30_000), p.err());
            p.signal("INT"); // in the middle of the second checkpoint write, which pauses for 1 s
            assertTrue(p.await(l -> l.contains("stopping after this step"), 10_000), p.err());
            p.signal("INT");
            assertEquals(130, p.waitFor(60), p.err());
            assertTrue(p.err().contains("stopped at once"), p.err());
            assertTrue(p.err().contains("nnc: resume with: ./nnc train m.nn --resume runs/M/1\n"), p.err());
        }
        Checkpoint c = CheckpointFile.read(file.getParent().resolve("runs/M/1/checkpoint.nnck"), null);
        assertEquals(0, c.training().steps(), "the write in progress was cut short, the one before it loads: "
                + "the checkpoint taken before the first step");
    }

    @Test
    void ctrlCAfterTheLastEpochSaysTheRunIsFinishingAndItFinishes() throws Exception {
        Path file = RunProject.create(tmp.resolve("project"), RunProject.MOONS);
        try (TrainProcess p = TrainProcess.start(file.getParent(), 500,
                RunProject.args("train", "m.nn", "--limit", 200, "--epochs", 1, "--threads", 1, "--no-warm-up"))) {
            assertTrue(p.await(l -> l.startsWith("nnc: test: writing") && l.endsWith("weights.nnw"), 120_000), p.err());
            p.signal("INT"); // the training has ended: its weights are being written
            assertEquals(0, p.waitFor(60), p.err());
            assertTrue(p.err().contains("nnc: INT: the training has ended; the run is writing its results (Ctrl-C "
                    + "again stops at once)"), p.err());
            assertFalse(p.err().contains("stopping after this step"), p.err());
            assertFalse(p.err().contains("resume with"), p.err());
            assertTrue(p.out().startsWith("test: loss="), p.out());
        }
        Path run = file.getParent().resolve("runs/M/1");
        assertEquals("finished", KeyValues.read(run.resolve("result.properties")).get("status"));
        assertTrue(Files.exists(run.resolve("weights.nnw")));
    }
}
