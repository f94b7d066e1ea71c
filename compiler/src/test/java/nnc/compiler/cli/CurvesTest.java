package nnc.compiler.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import nnc.compiler.plot.Curves;
import nnc.compiler.runs.MetricsCsv;
import nnc.runtime.train.EpochResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Training curves: every {@code nnc train} leaves {@code curves.png}, a valid image of three
 * panels (loss, accuracy, learning rate) with something drawn in each; {@code metrics.csv} has
 * the training accuracy and the learning rate; {@code nnc plot} draws several runs in one.
 */
class CurvesTest {
    static final String VALIDATED = RunProject.MOONS.replace("    seed      3", "    validate  split: 0.25\n    seed      3");

    @TempDir
    Path tmp;

    @Test
    void trainingWritesCurvesOfTheExpectedSizeAndTheNewMetricColumns() throws Exception {
        Path file = RunProject.create(tmp.resolve("p"), VALIDATED);
        Path run = tmp.resolve("run");
        CliRun r = CliRun.of(RunProject.args("train", file, "--epochs", 3, "--limit", 200, "--out", run));
        assertEquals(0, r.exit(), r::toString);
        BufferedImage png = ImageIO.read(run.resolve("curves.png").toFile());
        assertEquals(3 * Curves.PANEL_WIDTH, png.getWidth());
        assertEquals(Curves.PANEL_HEIGHT, png.getHeight());
        for (int panel = 0; panel < 3; panel++) {
            assertTrue(coloured(png, panel * Curves.PANEL_WIDTH, Curves.PANEL_WIDTH) > 100,
                    "panel " + panel + " has curves drawn in colour");
        }
        List<String> csv = Files.readAllLines(run.resolve("metrics.csv"));
        assertEquals("epoch,seconds,train_loss,train_accuracy,val_loss,val_accuracy,lr", csv.get(0));
        List<EpochResult> rows = MetricsCsv.read(run.resolve("metrics.csv"));
        assertEquals(3, rows.size());
        assertEquals(0.01f, rows.get(0).learningRate(), "cosine starts at the declared rate");
        assertTrue(rows.get(2).learningRate() < rows.get(1).learningRate(), "and anneals");
        assertTrue(rows.get(2).trainAccuracy() > 0.5 && rows.get(2).trainAccuracy() <= 1, rows::toString);
        assertTrue(r.err().contains("train_accuracy 0."), r::toString);
    }

    @Test
    void plotDrawsSeveralRunsInOneFigure() throws Exception {
        Path file = RunProject.create(tmp.resolve("p"), VALIDATED);
        for (String seed : new String[] {"1", "2"}) {
            CliRun r = CliRun.of(RunProject.args("train", file, "--epochs", 2, "--limit", 120, "--seed", seed));
            assertEquals(0, r.exit(), r::toString);
        }
        Path out = tmp.resolve("both.png");
        Path runs = file.getParent().resolve("runs/M");
        CliRun plot = CliRun.of("plot", runs.resolve("1").toString(), runs.resolve("2").toString(), "-o", out.toString());
        assertEquals(0, plot.exit(), plot::toString);
        assertTrue(plot.err().contains("2 runs drawn in " + out), plot::toString);
        BufferedImage png = ImageIO.read(out.toFile());
        assertEquals(3 * Curves.PANEL_WIDTH, png.getWidth());
        assertEquals(Curves.PANEL_HEIGHT, png.getHeight());

        CliRun again = CliRun.of("plot", runs.toString(), "-o", out.toString());
        assertEquals(1, again.exit(), again::toString);
        assertTrue(again.err().contains("exists; pass --overwrite"), again::toString);
        assertEquals(0, CliRun.of("plot", runs.toString(), "-o", out.toString(), "--overwrite").exit());
        CliRun missing = CliRun.of("plot", tmp.resolve("nothing").toString(), "-o", tmp.resolve("x.png").toString());
        assertEquals(1, missing.exit(), missing::toString);
        assertTrue(missing.err().contains("no such run folder"), missing::toString);
        CliRun notPng = CliRun.of("plot", runs.toString(), "-o", tmp.resolve("x.jpg").toString());
        assertEquals(2, notPng.exit(), notPng::toString);
        for (CliRun r : List.of(plot, again, missing, notPng)) {
            assertFalse(r.hasStackTrace(), r::toString);
        }
    }

    @Test
    void aRegressionHasNoAccuracyPanel() throws Exception {
        List<EpochResult> epochs = List.of(new EpochResult(1, 1, 0.5, Double.NaN, 0.6, Double.NaN, 1e-3f, 10),
                new EpochResult(2, 1, 0.3, Double.NaN, 0.4, Double.NaN, 1e-3f, 10));
        BufferedImage png = ImageIO.read(new java.io.ByteArrayInputStream(Curves.run("wave", epochs)));
        assertEquals(2 * Curves.PANEL_WIDTH, png.getWidth());
    }

    /** Pixels in columns {@code [x, x + w)} that are neither white nor grey. */
    private static int coloured(BufferedImage png, int x, int w) {
        int n = 0;
        for (int i = x; i < x + w; i++) {
            for (int j = 0; j < png.getHeight(); j++) {
                int rgb = png.getRGB(i, j);
                int red = rgb >> 16 & 0xFF;
                int green = rgb >> 8 & 0xFF;
                int blue = rgb & 0xFF;
                if (Math.max(red, Math.max(green, blue)) - Math.min(red, Math.min(green, blue)) > 40) {
                    n++;
                }
            }
        }
        return n;
    }
}
