package nnc.compiler.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import nnc.compiler.runs.Runs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Acceptance 4 of issue 11 and the commands around run folders: a second run never touches the
 * first, --epochs 0 writes nothing, --out refuses a folder holding a run, predict finds the
 * latest run from the .nn file's folder wherever it runs, evaluate reports what training
 * reported, another model's weights are refused, and mistakes get messages, not stack traces.
 */
class RunFoldersTest {
    static final String OTHER = RunProject.MOONS.replace("model M {", "model Other {").replace("train M on", "train Other on");

    @TempDir
    Path tmp;

    @Test
    void trainingTwiceNeverOverwritesTheFirstRun() throws Exception {
        Path file = RunProject.create(tmp.resolve("p"), RunProject.MOONS);
        CliRun first = CliRun.of(RunProject.args("train", file, "--epochs", 2, "--limit", 200));
        assertEquals(0, first.exit(), first::toString);
        Path runs = file.getParent().resolve("runs/M");
        Map<String, String> before = RunProject.snapshot(runs.resolve("1"));
        assertTrue(before.keySet().containsAll(java.util.List.of("run.properties", "source.nn", "checkpoint.nnck",
                "metrics.csv", "weights.nnw", "result.properties")), before::toString);
        CliRun second = CliRun.of(RunProject.args("train", file, "--epochs", 3, "--limit", 200, "--seed", 8));
        assertEquals(0, second.exit(), second::toString);
        assertTrue(second.err().contains("run folder " + Runs.display(runs.resolve("2"))), second::toString);
        assertEquals(before, RunProject.snapshot(runs.resolve("1")), "run 1 is untouched");
        assertEquals(Path.of("2"), Files.readSymbolicLink(runs.resolve("latest")));
        assertEquals(4, Files.readAllLines(runs.resolve("2/metrics.csv")).size());

        CliRun list = CliRun.of("runs", file.toString());
        assertEquals(0, list.exit(), list::toString);
        assertTrue(list.out().matches("(?s)RUN +STATUS +EPOCHS .*\n\\S*runs/M/1 +finished +2/2 .*\n\\S*runs/M/2 +finished +3/3 .*"),
                list::toString);
    }

    @Test
    void epochsZeroIsRefusedAndWritesNothing() throws Exception {
        Path file = RunProject.create(tmp.resolve("p"), RunProject.MOONS);
        CliRun r = CliRun.of(RunProject.args("train", file, "--epochs", 0));
        assertEquals(2, r.exit(), r::toString);
        assertTrue(r.err().contains("--epochs 0 would train nothing; to measure a trained model use 'nnc evaluate FILE'"),
                r::toString);
        assertFalse(Files.exists(file.getParent().resolve("runs")), "nothing written");
    }

    @Test
    void outHoldingARunIsRefusedUnlessOverwrite() throws Exception {
        Path file = RunProject.create(tmp.resolve("p"), RunProject.MOONS);
        Path out = tmp.resolve("o");
        String[] train = RunProject.args("train", file, "--epochs", 1, "--limit", 100, "--out", out);
        assertEquals(0, CliRun.of(train).exit());
        Map<String, String> before = RunProject.snapshot(out);
        CliRun again = CliRun.of(train);
        assertEquals(1, again.exit(), again::toString);
        assertTrue(again.err().contains("already holds a run; pass --overwrite to replace it"), again::toString);
        assertEquals(before, RunProject.snapshot(out));
        CliRun over = CliRun.of(RunProject.args(train, "--overwrite", "--seed", 4));
        assertEquals(0, over.exit(), over::toString);
        Files.createDirectories(tmp.resolve("mine"));
        Files.writeString(tmp.resolve("mine/notes.txt"), "mine");
        CliRun foreign = CliRun.of(RunProject.args("train", file, "--epochs", 1, "--out", tmp.resolve("mine"), "--overwrite"));
        assertEquals(1, foreign.exit(), foreign::toString);
        assertTrue(foreign.err().contains("holds files that nnc did not write"), foreign::toString);
        assertEquals("mine", Files.readString(tmp.resolve("mine/notes.txt")));
    }

    @Test
    void predictUsesTheLatestRunOfTheFileWhereverItRuns() throws Exception {
        Path file = RunProject.create(tmp.resolve("p"), RunProject.MOONS);
        assertEquals(0, CliRun.of(RunProject.args("train", file, "--epochs", 1, "--limit", 100)).exit());
        assertEquals(0, CliRun.of(RunProject.args("train", file, "--epochs", 2, "--limit", 200)).exit());
        Files.createDirectories(tmp.resolve("elsewhere/deeper"));
        String here;
        String there;
        try (TrainProcess p = TrainProcess.start(file.getParent(), 0, "predict", "m.nn", "--input", "0.3,-0.2")) {
            assertEquals(0, p.waitFor(120), p.err());
            assertTrue(p.err().contains("nnc: weights from runs/M/2 (epoch 2, test_accuracy 0."), p.err());
            here = p.out();
        }
        try (TrainProcess p = TrainProcess.start(tmp.resolve("elsewhere/deeper"), 0, "predict", "../../p/m.nn",
                "--input", "0.3,-0.2")) {
            assertEquals(0, p.waitFor(120), p.err());
            assertTrue(p.err().contains("nnc: weights from " + file.getParent().resolve("runs/M/2")), p.err());
            there = p.out();
        }
        assertEquals(here, there);
        assertTrue(here.matches("class [01] \\(probability 0\\.\\d+\\)\n"), here);
    }

    @Test
    void aCopyOfATrainedFileIsPointedToTheRunsOfTheOriginal() throws Exception {
        Path file = RunProject.create(tmp.resolve("p"), RunProject.MOONS);
        assertEquals(0, CliRun.of(RunProject.args("train", file, "--epochs", 1, "--limit", 100)).exit());
        Path copy = Files.copy(file, file.resolveSibling("copy.nn"));
        CliRun r = CliRun.of("predict", copy.toString(), "--input", "0.3,-0.2");
        assertEquals(1, r.exit(), r::toString);
        String run = Runs.display(file.resolveSibling("runs/M/1"));
        assertTrue(r.err().contains("(no run of copy.nn; " + run + " holds weights trained from m.nn)\n"
                + "  = hint: pass --run " + run + " to use them"), r::toString);
        CliRun with = CliRun.of("predict", copy.toString(), "--input", "0.3,-0.2", "--run", run);
        assertEquals(0, with.exit(), with::toString);
    }

    @Test
    void evaluateReportsWhatTrainingReported() throws Exception {
        Path file = RunProject.create(tmp.resolve("p"), RunProject.MOONS);
        CliRun t = CliRun.of(RunProject.args("train", file, "--epochs", 2, "--limit", 200, "--threads", 1));
        assertEquals(0, t.exit(), t::toString);
        CliRun e = CliRun.of(RunProject.args("evaluate", file, "--limit", 200, "--threads", 1));
        assertEquals(0, e.exit(), e::toString);
        assertEquals(t.out(), e.out());
        assertTrue(e.err().contains("weights from " + Runs.display(file.getParent().resolve("runs/M/1"))), e::toString);
        CliRun run = CliRun.of(RunProject.args("evaluate", file, "--run", file.getParent().resolve("runs/M/1"),
                "--limit", 200, "--threads", 1));
        assertEquals(t.out(), run.out(), run::toString);
    }

    @Test
    void anotherModelsWeightsAreRefusedNamingBothUnlessForced() throws Exception {
        Path file = RunProject.create(tmp.resolve("p"), RunProject.MOONS);
        Path other = file.getParent().resolve("other.nn");
        Files.writeString(other, OTHER);
        assertEquals(0, CliRun.of(RunProject.args("train", other, "--epochs", 1, "--limit", 100)).exit());
        Path weights = file.getParent().resolve("runs/Other/1/weights.nnw");
        CliRun r = CliRun.of(RunProject.args("predict", file, "--input", "0.1,0.2", "--weights", weights));
        assertEquals(1, r.exit(), r::toString);
        assertTrue(r.err().contains("these are weights of model Other, not of M"), r::toString);
        assertFalse(r.hasStackTrace(), r::toString);
        CliRun forced = CliRun.of(RunProject.args("predict", file, "--input", "0.1,0.2", "--weights", weights, "--force"));
        assertEquals(0, forced.exit(), forced::toString);
        CliRun none = CliRun.of(RunProject.args("evaluate", file));
        assertEquals(1, none.exit(), "M itself has no runs: " + none);
        assertTrue(none.err().contains("M has no runs next to"), none::toString);
    }

    /** A full disk at the end of a run: /dev/full as the weights' temporary file fails every write with ENOSPC. */
    @Test
    void aWriteThatFailsNamesTheFileKeepsTheCheckpointAndSaysHowToResume() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isWritable(Path.of("/dev/full")), "needs /dev/full (Linux)");
        Path file = RunProject.create(tmp.resolve("p"), RunProject.MOONS);
        Path out = tmp.resolve("o");
        CliRun trained = CliRun.of(RunProject.args("train", file, "--epochs", 2, "--limit", 200, "--out", out));
        assertEquals(0, trained.exit(), trained::toString);
        byte[] weights = Files.readAllBytes(out.resolve("weights.nnw"));
        Files.delete(out.resolve("weights.nnw")); // what a kill after the last checkpoint leaves
        Files.delete(out.resolve("result.properties"));
        Files.createSymbolicLink(out.resolve(".weights.nnw.tmp"), Path.of("/dev/full"));
        CliRun full = CliRun.of("train", "--resume", out.toString());
        assertEquals(1, full.exit(), full::toString);
        assertTrue(full.err().contains("nnc: cannot write " + out.toAbsolutePath().resolve("weights.nnw")
                + ": No space left on device\n"), full::toString);
        assertTrue(full.err().contains("nnc: the last checkpoint (after epoch 2, step 14 of the run) is kept in "
                + Runs.display(out.resolve("checkpoint.nnck")) + "\n"), full::toString);
        assertTrue(full.err().contains("nnc: resume with: ./nnc train " + Runs.display(file) + " --resume "
                + Runs.display(out) + "\n"), full::toString);
        assertFalse(full.hasStackTrace(), full::toString);
        assertFalse(Files.exists(out.resolve("weights.nnw")));
        assertFalse(Files.exists(out.resolve(".weights.nnw.tmp"), java.nio.file.LinkOption.NOFOLLOW_LINKS));

        CliRun resumed = CliRun.of("train", "--resume", out.toString());
        assertEquals(0, resumed.exit(), resumed::toString);
        assertEquals(java.util.Arrays.toString(weights), java.util.Arrays.toString(Files.readAllBytes(out.resolve("weights.nnw"))));
    }

    @Test
    void aDamagedCheckpointIsRefusedWithTheCommandThatTrainsTheRunAgain() throws Exception {
        Path file = RunProject.create(tmp.resolve("p"), RunProject.MOONS);
        Path out = tmp.resolve("o");
        CliRun trained = CliRun.of(RunProject.args("train", file, "--epochs", 2, "--limit", 200, "--threads", 1,
                "--checkpoint-every", 5, "--out", out));
        assertEquals(0, trained.exit(), trained::toString);
        byte[] weights = Files.readAllBytes(out.resolve("weights.nnw"));
        Files.delete(out.resolve("weights.nnw")); // killed after the last checkpoint, which was then damaged
        Files.delete(out.resolve("result.properties"));
        byte[] ck = Files.readAllBytes(out.resolve("checkpoint.nnck"));
        ck[ck.length / 2] ^= 1;
        Files.write(out.resolve("checkpoint.nnck"), ck);
        CliRun resumed = CliRun.of("train", "--resume", out.toString());
        assertEquals(1, resumed.exit(), resumed::toString);
        assertTrue(resumed.err().contains("checkpoint.nnck: checksum mismatch"), resumed::toString);
        String hint = "  = hint: to train it again from the start, with its settings: ./nnc train ";
        assertTrue(resumed.err().contains(hint), resumed::toString);
        assertFalse(resumed.hasStackTrace(), resumed::toString);
        String again = resumed.err().substring(resumed.err().indexOf(hint) + hint.length() - "train ".length()).strip();
        CliRun restarted = CliRun.of(again.split(" "));
        assertEquals(0, restarted.exit(), restarted::toString);
        assertEquals(java.util.Arrays.toString(weights), java.util.Arrays.toString(Files.readAllBytes(out.resolve("weights.nnw"))),
                "the same run again: " + again);
        assertFalse(resumed.err().contains("is not the source this run started from"), resumed::toString);

        // The .nn file edited since: the hint's command would train the file as it is now, and says so.
        for (String f : new String[] {"checkpoint.nnck", "weights.nnw", "result.properties"}) {
            Files.delete(out.resolve(f));
        }
        Files.writeString(file, Files.readString(file) + "\n# edited\n");
        CliRun edited = CliRun.of("train", "--resume", out.toString());
        assertEquals(1, edited.exit(), edited::toString);
        assertTrue(edited.err().contains("is not the source this run started from, which is "), edited::toString);
    }

    @Test
    void mistakesGetAMessageAndExitCodeNotAStackTrace() throws Exception {
        Path file = RunProject.create(tmp.resolve("p"), RunProject.MOONS);
        Object[][] cases = {
            {2, "a .nn file is required (or --resume RUN)", new Object[] {"train"}},
            {2, "leave out --epochs", new Object[] {"train", "--resume", tmp, "--epochs", 3}},
            {2, "--checkpoint-every must be >= 1", new Object[] {"train", file, "--checkpoint-every", 0}},
            {2, "--overwrite applies to --out DIR only", new Object[] {"train", file, "--overwrite"}},
            {1, "no such run folder", new Object[] {"train", "--resume", tmp.resolve("nope")}},
            {1, "is not a run folder", new Object[] {"train", "--resume", tmp}},
            {1, "is a file, not a folder", new Object[] {"train", file, "--out", file}},
            {1, "no such file", new Object[] {"runs", tmp.resolve("nope.nn")}},
            {1, "no such run folder", new Object[] {"evaluate", file, "--run", tmp.resolve("nope")}},
            {2, "give --run or --weights, not both", new Object[] {"evaluate", file, "--run", tmp, "--weights", file}},
        };
        for (Object[] c : cases) {
            CliRun r = CliRun.of(RunProject.args((Object[]) c[2]));
            assertEquals(c[0], r.exit(), r::toString);
            assertTrue(r.err().contains((String) c[1]), r::toString);
            assertFalse(r.hasStackTrace(), r::toString);
        }
        for (String cmd : new String[] {"runs", "evaluate", "train"}) {
            CliRun h = CliRun.of(cmd, "--help");
            assertEquals(0, h.exit());
            assertTrue(h.out().contains("Usage: nnc " + cmd), h::toString);
        }
    }
}
