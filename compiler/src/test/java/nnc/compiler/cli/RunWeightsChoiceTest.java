package nnc.compiler.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import nnc.compiler.runs.Runs;
import nnc.runtime.io.CheckpointFile;
import nnc.runtime.model.Training;
import nnc.runtime.train.Checkpoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which run's weights predict, evaluate and build take, and when they refuse: damaged run files
 * are named (and listed by {@code runs}, not hidden), a run that stopped before its first step
 * is never used, and weights trained with other preprocessing than the file's now are refused.
 */
class RunWeightsChoiceTest {
    /** Adds a normalize to the moons data, so its preprocessing can change after training. */
    static final String NORMALIZED = RunProject.MOONS.replace("test: 0.25)", "test: 0.25) | normalize(mean: 0.5, std: 2.0)");

    @TempDir
    Path tmp;

    private static final byte[] NOT_UTF8 = {(byte) 0xc3, (byte) 0x28, (byte) 0xff, (byte) 0xfe, '\n'};

    @Test
    void damagedRunFilesAreNamedNeverABareJavaMessage() throws Exception {
        Path file = RunProject.create(tmp.resolve("p"), RunProject.MOONS);
        assertEquals(0, CliRun.of(RunProject.args("train", file, "--epochs", 1, "--limit", 100)).exit());
        Path runs = file.getParent().resolve("runs/M");
        for (String n : new String[] {"2", "3"}) {
            copy(runs.resolve("1"), runs.resolve(n));
        }
        Files.write(runs.resolve("2/run.properties"), NOT_UTF8);
        Files.write(runs.resolve("3/result.properties"), NOT_UTF8);
        Files.write(runs.resolve("1/metrics.csv"), NOT_UTF8);
        String settings2 = Runs.display(runs.resolve("2/run.properties")) + " is damaged (it is not UTF-8 text)";
        String result3 = Runs.display(runs.resolve("3/result.properties")) + " is damaged (it is not UTF-8 text)";
        Object[][] cases = {
            {settings2, new Object[] {"train", file, "--resume", runs.resolve("2")}},
            {settings2, new Object[] {"evaluate", file, "--run", runs.resolve("2")}},
            {result3, new Object[] {"predict", file, "--run", runs.resolve("3"), "--input", "0.1,0.2"}},
            {result3, new Object[] {"train", file, "--resume", runs.resolve("3")}},
            {Runs.display(runs.resolve("1/metrics.csv")) + ": not UTF-8 text",
                new Object[] {"plot", runs.resolve("1"), "--out", tmp.resolve("c.png")}},
        };
        for (Object[] c : cases) {
            CliRun r = CliRun.of(RunProject.args((Object[]) c[1]));
            assertEquals(1, r.exit(), r::toString);
            assertTrue(r.err().contains((String) c[0]), r::toString);
            assertFalse(r.err().contains("Input length"), r::toString);
            assertFalse(r.hasStackTrace(), r::toString);
        }
        CliRun list = CliRun.of("runs", file.toString());
        assertEquals(1, list.exit(), list::toString);
        assertTrue(list.out().matches("(?s).*runs/M/1 +finished .*runs/M/2 +damaged\n.*runs/M/3 +damaged .*"), list::toString);
        assertTrue(list.err().contains(settings2) && list.err().contains(result3), list::toString);

        // ASCII garbage in the newest run's settings: said, not skipped for the older run 1
        copy(runs.resolve("1"), runs.resolve("4"));
        Files.writeString(runs.resolve("4/run.properties"), "hello world\nthis is not a run\n");
        CliRun e = CliRun.of(RunProject.args("evaluate", file, "--limit", 100));
        assertEquals(1, e.exit(), e::toString);
        assertTrue(e.err().contains(Runs.display(runs.resolve("4/run.properties")) + " is damaged (it has no 'model' line)"),
                e::toString);
        assertFalse(e.err().contains("weights from"), e::toString);
        assertTrue(CliRun.of("runs", file.toString()).out().matches("(?s).*runs/M/4 +damaged.*"));
    }

    @Test
    void aRunThatStoppedBeforeItsFirstStepIsNeverUsed() throws Exception {
        Path file = RunProject.create(tmp.resolve("p"), RunProject.MOONS);
        assertEquals(0, CliRun.of(RunProject.args("train", file, "--epochs", 1, "--limit", 100)).exit());
        Path run = file.getParent().resolve("runs/M/1");
        Checkpoint c = CheckpointFile.read(run.resolve("checkpoint.nnck"), null);
        Training.State t = c.training();
        CheckpointFile.write(run.resolve("checkpoint.nnck"), new Checkpoint(c.model(), c.fingerprint(),
                new Training.State(t.params(), t.state1(), t.state2(), 0, t.lr()), c.loop(), null, c.history()));
        Files.delete(run.resolve("weights.nnw"));
        Files.writeString(run.resolve("result.properties"), "# how the run ended\nstatus=interrupted\n");
        String said = Runs.display(run) + " has no trained weights: it stopped before its first training step";
        for (Object[] args : new Object[][] {
            {"predict", file, "--run", run, "--input", "0.1,0.2"},
            {"predict", file, "--input", "0.1,0.2"}, // the latest run, chosen for the user
            {"evaluate", file, "--run", run},
            {"build", file, "-o", tmp.resolve("m.jar")},
        }) {
            CliRun r = CliRun.of(RunProject.args(args));
            assertEquals(1, r.exit(), r::toString);
            assertTrue(r.err().contains(said), r::toString);
            assertTrue(r.err().contains("= hint: resume it with ./nnc train " + Runs.display(file) + " --resume "
                    + Runs.display(run)), r::toString);
            assertFalse(r.err().contains("weights from"), r::toString);
        }
        assertFalse(Files.exists(tmp.resolve("m.jar")));
        CliRun w = CliRun.of(RunProject.args("predict", file, "--weights", run.resolve("checkpoint.nnck"), "--input", "0.1,0.2"));
        assertEquals(1, w.exit(), w::toString);
        assertTrue(w.err().contains("was taken before the first training step"), w::toString);
        // a newer finished run is taken as before
        assertEquals(0, CliRun.of(RunProject.args("train", file, "--epochs", 1, "--limit", 100)).exit());
        CliRun p = CliRun.of(RunProject.args("predict", file, "--input", "0.1,0.2"));
        assertEquals(0, p.exit(), p::toString);
        assertTrue(p.err().contains("weights from " + Runs.display(run.resolveSibling("2"))), p::toString);
    }

    @Test
    void weightsTrainedWithOtherPreprocessingAreRefusedUnlessForced() throws Exception {
        Path file = RunProject.create(tmp.resolve("p"), NORMALIZED);
        assertEquals(0, CliRun.of(RunProject.args("train", file, "--epochs", 1, "--limit", 100)).exit());
        Path run = file.getParent().resolve("runs/M/1");
        String recorded = nnc.compiler.runs.KeyValues.read(run.resolve("run.properties")).get("serving");
        assertEquals("values as they are in the CSV file, then normalize(mean: 0.5, std: 2.0); output: binary", recorded);

        Files.writeString(file, "# only a comment is new\n" + NORMALIZED);
        assertEquals(0, CliRun.of(RunProject.args("predict", file, "--input", "0.1,0.2")).exit(), "comments do not count");

        Files.writeString(file, NORMALIZED.replace("mean: 0.5", "mean: 0.1"));
        for (Object[] args : new Object[][] {
            {"predict", file, "--input", "0.1,0.2"},
            {"predict", file, "--run", run, "--input", "0.1,0.2"},
            {"predict", file, "--weights", run.resolve("weights.nnw"), "--input", "0.1,0.2"},
            {"evaluate", file},
            {"build", file, "-o", tmp.resolve("m.jar")},
        }) {
            CliRun r = CliRun.of(RunProject.args(args));
            assertEquals(1, r.exit(), r::toString);
            assertTrue(r.err().contains(Runs.display(run) + " was trained with: " + recorded), r::toString);
            assertTrue(r.err().contains("now says:   values as they are in the CSV file, then normalize(mean: 0.1, "
                    + "std: 2.0); output: binary"), r::toString);
            assertTrue(r.err().contains("pass --force to use the weights anyway"), r::toString);
            assertFalse(r.hasStackTrace(), r::toString);
        }
        CliRun forced = CliRun.of(RunProject.args("predict", file, "--input", "0.1,0.2", "--force"));
        assertEquals(0, forced.exit(), forced::toString);
        assertTrue(forced.err().contains("warning: the preprocessing or output differs"), forced::toString);

        // the exact values are compared, not the words (which may be reworded): words alone still count
        Path props = run.resolve("run.properties");
        Files.write(props, Files.readAllLines(props).stream().map(l -> l.startsWith("serving=") ? l + " (reworded)" : l)
                .toList());
        assertEquals(1, CliRun.of(RunProject.args("predict", file, "--input", "0.1,0.2")).exit(), "mean changed");
        Files.writeString(file, NORMALIZED);
        assertEquals(0, CliRun.of(RunProject.args("predict", file, "--input", "0.1,0.2")).exit(), "only words differ");
        Files.writeString(file, NORMALIZED.replace("mean: 0.5", "mean: 0.1"));

        // garbage in the recorded values: refused, naming the run, never a stack trace
        List<String> kept = Files.readAllLines(props);
        Files.write(props, kept.stream().map(l -> l.startsWith("serving_exact=") ? "serving_exact=\u0000%%garbage" : l)
                .toList());
        CliRun garbage = CliRun.of(RunProject.args("predict", file, "--input", "0.1,0.2"));
        assertEquals(1, garbage.exit(), garbage::toString);
        assertTrue(garbage.err().contains(Runs.display(run) + " was trained with: "), garbage::toString);
        assertFalse(garbage.hasStackTrace(), garbage::toString);
        Files.write(props, kept);

        // a run made before run.properties had the keys: its own source.nn says what it trained with
        Files.write(props, Files.readAllLines(props).stream().filter(l -> !l.startsWith("serving")).toList());
        CliRun old = CliRun.of(RunProject.args("predict", file, "--input", "0.1,0.2"));
        assertEquals(1, old.exit(), old::toString);
        assertTrue(old.err().contains(" was trained with: " + recorded), old::toString);
        assertTrue(nnc.compiler.runs.KeyValues.read(props).keySet().stream().noneMatch(k -> k.startsWith("serving")));
        Files.writeString(file, NORMALIZED);
        assertEquals(0, CliRun.of(RunProject.args("predict", file, "--input", "0.1,0.2")).exit(), "unchanged: no check");
    }

    private static void copy(Path from, Path to) throws Exception {
        Files.createDirectories(to);
        for (Map.Entry<String, String> f : RunProject.snapshot(from).entrySet()) {
            Files.copy(from.resolve(f.getKey()), to.resolve(f.getKey()));
        }
    }
}
