package nnc.compiler.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import nnc.compiler.plot.Curves;
import nnc.compiler.runs.KeyValues;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code nnc sweep}'s bookkeeping on a tiny model: a run that fails is reported and the runs
 * after it go on; the same sweep again skips the runs that ended, leaving their folders as they were,
 * and trains the one that failed; runs of other settings are never mixed into a table.
 */
class SweepTest {
    static final String PROJECT = RunProject.MOONS.replace("    seed      3", "    validate  split: 0.25\n    seed      3")
            .replace("    epochs    6", "    epochs    2") + """

            sweep M {
                lr in [0.01, 0.05]
            }
            """;

    @TempDir
    Path tmp;

    /**
     * SIGTERM to the sweep alone: its run is given a grace period (two minutes here, so the run,
     * warm-up included, ends in it), and a run that ends in it is reported as it ended, not as
     * interrupted.
     */
    @Test
    void aSweepAskedToStopReportsItsRunAsItEnded() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeFalse(System.getProperty("os.name").startsWith("Windows"), "signals");
        Path file = RunProject.create(tmp.resolve("p"), PROJECT);
        try (TrainProcess p = TrainProcess.startWith(file.getParent(), List.of("-Dnnc.test.sweepGraceMillis=120000"),
                "sweep", "m.nn", "--limit", "40", "--threads", "1", "--set", "epochs=1")) {
            Path log = file.getParent().resolve("runs/M/sweep/logs/lr=0.01.log");
            for (long end = System.currentTimeMillis() + 120_000; !Files.exists(log) && System.currentTimeMillis() < end; ) {
                Thread.sleep(20); // the first run has started: the sweep handles signals now
            }
            p.signal("TERM");
            assertEquals(130, p.waitFor(120), p.err());
            String status = KeyValues.read(file.getParent().resolve("runs/M/sweep/lr=0.01/result.properties")).get("status");
            assertEquals("finished", status, p.err());
            assertTrue(p.err().contains("[1/2] lr=0.01: finished"), p.err());
            assertTrue(p.err().contains("sweep interrupted; run the same command again"), p.err());
        }
    }

    @Test
    void aFailedRunIsReportedAndAnotherSweepSkipsWhatEndedAndRetriesIt() throws Exception {
        Path file = RunProject.create(tmp.resolve("p"), PROJECT);
        Path sweep = file.getParent().resolve("runs/M/sweep");
        Path blocked = sweep.resolve("lr=0.01"); // the first run of the grid
        Files.createDirectories(blocked);
        Files.writeString(blocked.resolve("notes.txt"), "not nnc's"); // train --out refuses this folder

        CliRun first = CliRun.of("sweep", file.toString(), "--limit", "240", "--threads", "1");
        assertEquals(1, first.exit(), first::toString);
        assertTrue(first.err().contains("lr (2) = 2 runs"), first::toString);
        assertTrue(first.err().matches("(?s).*\\[1/2] lr=0\\.01: failed \\(exit 1\\): nnc: --out [^\\n]*"
                + "holds files that nnc did not write[^\\n]*; ETA \\d+ s for 1 more run\n.*"), first::toString);
        assertTrue(first.err().matches("(?s).*\\[2/2] lr=0\\.05: finished 2/2, val_accuracy 0\\.\\d{4}, \\d+ s\n.*"),
                "the sweep goes on after a failed run: " + first);
        assertTrue(first.err().contains("1 of 2 runs did not end: lr=0.01"), first::toString);
        assertFalse(first.hasStackTrace(), first::toString);
        List<String> csv = Files.readAllLines(sweep.resolve("results.csv"));
        assertEquals(3, csv.size(), csv::toString);
        assertTrue(csv.get(1).matches("1,0\\.05,finished,2/2,.*"), csv::toString);
        assertTrue(csv.get(2).matches("2,0\\.01,failed,0/\\?,.*"), "the failed run comes last: " + csv);
        assertTrue(Files.readString(sweep.resolve("logs/lr=0.01.log")).contains("holds files that nnc did not write"));
        Map<String, String> ended05 = RunProject.snapshot(sweep.resolve("lr=0.05"));

        Files.delete(blocked.resolve("notes.txt"));
        CliRun second = CliRun.of("sweep", file.toString(), "--limit", "240", "--threads", "1");
        assertEquals(0, second.exit(), second::toString);
        assertTrue(second.err().contains("1 ended earlier, 1 to train"), second::toString);
        assertTrue(second.err().matches("(?s).*\\[1/2] lr=0\\.01: finished 2/2, .*"), second::toString);
        assertTrue(second.err().matches("(?s).*\\[2/2] lr=0\\.05: ended earlier \\(finished 2/2, val_accuracy .*"),
                second::toString);
        assertEquals(ended05, RunProject.snapshot(sweep.resolve("lr=0.05")), "an ended run is not touched");

        csv = Files.readAllLines(sweep.resolve("results.csv"));
        assertEquals("rank,lr,status,epochs,weights_epoch,train_loss,train_accuracy,val_loss,val_accuracy,"
                + "median_epoch_seconds,wall_seconds,run", csv.get(0));
        double previous = 2;
        for (String row : csv.subList(1, csv.size())) {
            String[] f = row.split(",", -1);
            assertEquals("finished", f[2], row);
            double acc = Double.parseDouble(f[8]);
            assertTrue(acc <= previous, "best val_accuracy first: " + csv);
            previous = acc;
        }
        assertTrue(second.out().startsWith("# M sweep: lr (2) = 2 runs"), second::toString);
        assertTrue(second.out().contains("its test accuracy, measured once after training: 0."), second::toString);
        var png = ImageIO.read(sweep.resolve("sweep.png").toFile());
        assertEquals(2 * Curves.PANEL_WIDTH + Curves.LEGEND_WIDTH, png.getWidth());
        assertEquals(Curves.PANEL_HEIGHT, png.getHeight());

        CliRun other = CliRun.of("sweep", file.toString(), "--limit", "200", "--threads", "1");
        assertEquals(1, other.exit(), other::toString);
        assertTrue(other.err().contains("were trained from another version of m.nn or with other --set, --limit"),
                other::toString);
        assertEquals(ended05, RunProject.snapshot(sweep.resolve("lr=0.05")), "nothing trained");
    }

    @Test
    void mistakesInTheGridAreFoundBeforeAnythingTrains() throws Exception {
        Path file = RunProject.create(tmp.resolve("p"), PROJECT);
        CliRun unknown = CliRun.of("sweep", file.toString(), "--grid", "lrr=1,2");
        assertEquals(2, unknown.exit(), unknown::toString);
        assertTrue(unknown.err().contains("--grid lrr: 'lrr' is neither a parameter of M nor a training value "
                + "(did you mean 'lr'?)"), unknown::toString);
        CliRun bad = CliRun.of("sweep", file.toString(), "--grid", "batch=16,0.5");
        assertEquals(1, bad.exit(), bad::toString);
        assertTrue(bad.err().contains("the sweep's run batch=0.5 does not compile"), bad::toString);
        assertTrue(bad.err().contains("1 of 2 runs do not compile; nothing was trained"), bad::toString);
        CliRun both = CliRun.of("sweep", file.toString(), "--grid", "lr=1e-3,1e-2", "--set", "lr=0.1");
        assertEquals(2, both.exit(), both::toString);
        CliRun noValidation = CliRun.of("sweep", RunProject.create(tmp.resolve("q"), RunProject.MOONS
                + "\nsweep M { lr in [0.1, 0.2] }\n").toString());
        assertEquals(1, noValidation.exit(), noValidation::toString);
        assertTrue(noValidation.err().contains("a sweep compares its runs on a validation set"), noValidation::toString);
        for (CliRun r : List.of(unknown, bad, both, noValidation)) {
            assertFalse(r.hasStackTrace(), r::toString);
        }
        assertFalse(Files.exists(file.getParent().resolve("runs")), "nothing trained");
    }
}
