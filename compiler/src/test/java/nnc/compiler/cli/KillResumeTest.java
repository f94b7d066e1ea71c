package nnc.compiler.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import nnc.runtime.io.CheckpointFile;
import nnc.runtime.train.Checkpoint;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Acceptance 1 of issue 11: a training process killed (SIGKILL) at random moments, some of
 * them in the middle of a checkpoint write, always leaves a checkpoint that loads, and resuming
 * after each kill ends with the weights and metrics of an uninterrupted run, bit for bit. Ten
 * kills on one thread and ten on two; each resume is itself killed again, so the run is carried
 * over ten process deaths. Every file write pauses halfway ({@code nnc.test.pauseWritesMillis}),
 * which also stretches the run so that the kills land while it trains.
 */
class KillResumeTest {
    static final int KILLS = 10;
    static final int PAUSE_MS = 60;

    @TempDir
    Path tmp;

    @ParameterizedTest(name = "{0} thread(s)")
    @ValueSource(ints = {1, 2})
    void killedTenTimesAndResumedEndsWithTheUninterruptedBits(int threads) throws Exception {
        assumeFalse(System.getProperty("os.name").startsWith("Windows"), "signals");
        Path file = RunProject.create(tmp.resolve("project"), RunProject.MOONS);
        Path reference = tmp.resolve("reference");
        CliRun ref = CliRun.of(RunProject.args("train", file, RunProject.QUICK, "--threads", threads, "--out", reference));
        assertEquals(0, ref.exit(), ref::toString);

        long seed = System.nanoTime();
        Random random = new Random(seed);
        Path run = file.getParent().resolve("runs/M/1");
        long lastStep = -1;
        int kills = 0;
        for (int segment = 0; kills < KILLS; segment++) {
            String[] args = segment == 0
                    ? RunProject.args("train", "m.nn", RunProject.QUICK, "--checkpoint-every", 2, "--threads", threads)
                    : RunProject.args("train", "m.nn", "--resume", "runs/M/1");
            try (TrainProcess p = TrainProcess.start(file.getParent(), PAUSE_MS, args)) {
                String why = "seed " + seed + ", kill " + (kills + 1);
                assertTrue(p.await(l -> l.startsWith("nnc: run folder") || l.startsWith("nnc: resuming"), 120_000),
                        why + "\n" + p.err());
                if (segment == 0) { // the first checkpoint must be complete: wait for the write after it
                    assertTrue(p.await(l -> l.endsWith(".nnck"), 30_000), p.err());
                    assertTrue(p.await(l -> l.startsWith("nnc: test: writing"), 30_000), p.err());
                }
                if (random.nextBoolean()) { // in the middle of a checkpoint write
                    if (!p.await(l -> l.startsWith("nnc: test: writing") && l.endsWith(".nnck"), 30_000)) {
                        break; // the run finished before
                    }
                    Thread.sleep(random.nextInt(PAUSE_MS));
                } else {
                    Thread.sleep(random.nextInt(400));
                }
                p.kill();
                kills++;
                Checkpoint c = CheckpointFile.read(run.resolve("checkpoint.nnck"), null);
                assertTrue(c.training().steps() >= lastStep, why + ": the checkpoint went back");
                lastStep = c.training().steps();
            }
        }
        assertEquals(KILLS, kills, "the run ended before it was killed " + KILLS + " times; lengthen it");
        try (TrainProcess p = TrainProcess.start(file.getParent(), 0, "train", "--resume", "runs/M/1")) {
            assertEquals(0, p.waitFor(120), p.err());
            assertEquals(ref.out(), p.out(), "the test line");
        }
        assertArrayEquals(Files.readAllBytes(reference.resolve("weights.nnw")), Files.readAllBytes(run.resolve("weights.nnw")),
                "weights after " + KILLS + " kills (seed " + seed + ")");
        assertEquals(RunProject.metricsWithoutSeconds(reference), RunProject.metricsWithoutSeconds(run));
    }
}
