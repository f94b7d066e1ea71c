package nnc.compiler.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import nnc.compiler.TestModels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line: exit codes, diagnostics as the user sees them, and the reports. */
class CliTest {
    @TempDir
    Path tmp;

    static String sample(String name) {
        return TestModels.root().resolve("samples").resolve(name).toString();
    }

    private Path write(String name, String text) throws IOException {
        Path f = tmp.resolve(name);
        Files.writeString(f, text);
        return f;
    }

    @Test
    void runsWithNoRunsSaysWhereItLookedAndHowToMakeOne() throws Exception {
        Subprocess here = Subprocess.nnc(tmp, "runs");
        assertEquals(0, here.exit(), here::toString);
        assertTrue(here.out().startsWith("no training runs in " + tmp.toRealPath().resolve("runs") + " (no such folder)\n"
                + "  = hint: 'nnc train FILE.nn' makes them in runs/ next to FILE.nn"), here::toString);

        Path nn = write("m.nn", "model M {\n    input x: [2]\n    x -> linear(1)\n}\n");
        Files.createDirectories(tmp.resolve("runs"));
        CliRun of = CliRun.of("runs", nn.toString());
        assertEquals(0, of.exit(), of::toString);
        assertTrue(of.out().startsWith("no runs of m.nn in " + tmp.toAbsolutePath().normalize().resolve("runs") + "\n"
                + "  = hint: 'nnc train "), of::toString);
    }

    @Test
    void benchInferTimesTheImagesOfAnIdxFile() throws IOException {
        Path nn = write("m.nn", "model M {\n    input x: [100]\n    x -> linear(8) -> relu -> linear(3)\n}\n");
        byte[] pixels = new byte[5 * 100];
        for (int i = 0; i < pixels.length; i += 7) {
            pixels[i] = (byte) (40 + i % 200);
        }
        Path idx = tmp.resolve("five.idx");
        Files.write(idx, BadFiles.idx(new int[] {5, 10, 10}, pixels));
        CliRun r = CliRun.of("bench", "infer", nn.toString(), "--images", idx.toString(), "--seconds", "0.05");
        assertEquals(0, r.exit(), r::toString);
        assertTrue(r.out().contains("M, batch 1, 1 thread, "), r::toString);
        assertTrue(r.out().contains(", the first 5 images of " + idx), r::toString);
        assertTrue(r.out().matches("(?s).*latency +median [0-9.]+ (us|ms) +p99 .*"), r::toString);
    }

    @Test
    void summaryOfTheMlpShowsShapesAndTheTotal() {
        CliRun r = CliRun.of("summary", sample("mnist_mlp.nn"));
        assertEquals(0, r.exit(), r::toString);
        assertTrue(r.out().matches("(?s).*linear_1 \\(linear\\)\\s+\\[256\\]\\s+200,960.*"), r::toString);
        assertTrue(r.out().matches("(?s).*linear_2 \\(linear\\)\\s+\\[128\\]\\s+32,896.*"), r::toString);
        assertTrue(r.out().matches("(?s).*linear_3 \\(linear\\)\\s+\\[10\\]\\s+1,290.*"), r::toString);
        assertTrue(r.out().contains("Total params: 235,146\n"), r::toString);
    }

    @Test
    void aSyntaxErrorIsReportedWithPositionLineAndCaret() throws IOException {
        Path f = write("bad.nn", """
                model M {
                    input x: [4]
                    x -> linear(3 -> relu
                }
                """);
        CliRun r = CliRun.of("check", f.toString());
        assertEquals(1, r.exit(), r::toString);
        assertTrue(r.err().contains(f + ":3:19: error: "), r::toString);
        assertTrue(r.err().contains(" 3 |     x -> linear(3 -> relu\n"), r::toString);
        assertTrue(r.err().contains("   |                   ^"), r::toString);
        assertFalse(r.hasStackTrace(), r::toString);
    }

    @Test
    void aShapeErrorIsReportedWithPositionLineCaretAndHint() throws IOException {
        Path f = write("shape.nn", """
                model M {
                    input x: [1, 28, 28]
                    x -> linear(10)
                }
                """);
        CliRun r = CliRun.of("summary", f.toString());
        assertEquals(1, r.exit(), r::toString);
        assertTrue(r.err().contains(f + ":3:10: error: linear expects a flat input [features], got [1, 28, 28]"),
                r::toString);
        assertTrue(r.err().contains(" 3 |     x -> linear(10)\n   |          ^~~~~~~~~~\n"), r::toString);
        assertTrue(r.err().contains("= hint: insert 'flatten' before 'linear'"), r::toString);
        assertFalse(r.hasStackTrace(), r::toString);
    }

    @Test
    void checkAcceptsTheSamples() {
        CliRun r = CliRun.of("check", sample("mnist_mlp.nn"), sample("fashion_mlp.nn"));
        assertEquals(0, r.exit(), r::toString);
        assertTrue(r.out().contains("mnist_mlp.nn: ok"), r::toString);
    }

    @Test
    void emitWritesOneCompilableClass() throws Exception {
        CliRun r = CliRun.of("emit", sample("mnist_mlp.nn"), "-d", tmp.toString(), "--package", "demo.models");
        assertEquals(0, r.exit(), r::toString);
        Path java = tmp.resolve("demo/models/MnistMlp.java");
        assertTrue(Files.isRegularFile(java), r::toString);
        String text = Files.readString(java);
        assertTrue(text.startsWith("// Generated by nnc from mnist_mlp.nn."), text);
        nnc.compiler.codegen.InProcessCompiler.compile("demo.models.MnistMlp", text);
    }

    /** A full disk: /dev/full as the temporary file fails every write with ENOSPC. */
    @Test
    void emitThatCannotWriteLeavesTheFileThatWasThereWhole() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isWritable(Path.of("/dev/full")), "needs /dev/full (Linux)");
        Path java = tmp.resolve("nnc/generated/MnistMlp.java");
        Files.createDirectories(java.getParent());
        Files.writeString(java, "// the last emitted class\n");
        Files.createSymbolicLink(java.resolveSibling(".MnistMlp.java.tmp"), Path.of("/dev/full"));
        CliRun r = CliRun.of("emit", sample("mnist_mlp.nn"), "-d", tmp.toString());
        assertEquals(1, r.exit(), r::toString);
        assertTrue(r.err().contains("nnc: cannot write " + java.toAbsolutePath() + ": No space left on device"), r::toString);
        assertEquals("// the last emitted class\n", Files.readString(java), "never torn");
    }

    @Test
    void usageMistakesExitWithTwo() {
        assertEquals(2, CliRun.of().exit());
        assertEquals(2, CliRun.of("train").exit());
        assertEquals(2, CliRun.of("frobnicate").exit());
        assertEquals(2, CliRun.of("summary", sample("mnist_mlp.nn"), "--batch", "many").exit());
    }

    @Test
    void everyCommandHasHelp() {
        for (String cmd : new String[] {"check", "summary", "emit", "train", "sweep", "plot", "evaluate", "runs", "predict",
            "fetch", "bench"}) {
            CliRun r = CliRun.of(cmd, "--help");
            assertEquals(0, r.exit(), cmd);
            assertTrue(r.out().contains("Usage: nnc " + cmd), r::toString);
        }
    }

    @Test
    void aMissingFileIsAnInputErrorWithoutStackTrace() {
        CliRun r = CliRun.of("check", tmp.resolve("nope.nn").toString());
        assertEquals(1, r.exit(), r::toString);
        assertTrue(r.err().contains("nope.nn: no such file"), r::toString);
        assertFalse(r.hasStackTrace(), r::toString);
    }

    /** A file that cannot be read is one error: counted in the summary, and the other files are still checked. */
    @Test
    void checkGoesOnPastAFileItCannotRead() throws IOException {
        Path good = write("good.nn", "model M {\n    input x: [4]\n    x -> linear(3)\n}\n");
        Path latin1 = tmp.resolve("latin1.nn");
        Files.write(latin1, "model M {\n    input x: [4] # \u00e9\n}\n".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        CliRun r = CliRun.of("check", tmp.resolve("nope.nn").toString(), latin1.toString(), good.toString());
        assertEquals(1, r.exit(), r::toString);
        assertTrue(r.err().contains("nope.nn: no such file"), r::toString);
        assertTrue(r.err().contains("latin1.nn:2:20: error: the file is not UTF-8 text"), r::toString);
        assertTrue(r.out().contains(good + ": ok"), r::toString);
        assertTrue(r.err().strip().endsWith("2 errors"), r::toString);
        assertFalse(r.hasStackTrace(), r::toString);
    }

    /**
     * Too small a heap for javac is "out of memory" (exit 1), not an internal error with an
     * empty reason: javac reports its own OutOfMemoryError as a crash. Where the heap runs out
     * depends on the collector and the class path, so a few sizes around the edge are tried.
     */
    @Test
    void aHeapTooSmallForTheCompilerIsOutOfMemoryNotABug() throws Exception {
        Path nn = write("soft.nn", PredictRegressionTest.SOFTMAX_MODEL);
        for (int mb = 12; mb <= 24; mb += 2) {
            Subprocess r = Subprocess.run(tmp, List.of(Subprocess.java(), "-XX:+UseParallelGC", "-Xmx" + mb + "m",
                    "--add-modules", "jdk.incubator.vector", "-cp", System.getProperty("java.class.path"),
                    Main.class.getName(), "predict", nn.toString(), "--input", "1,1"));
            assertFalse(r.exit() == 3 || r.err().contains("internal error") || r.hasStackTrace(), mb + " MB: " + r);
            assertTrue(r.exit() == 0 || r.exit() == 1 && r.err().contains("nnc: out of memory"), mb + " MB: " + r);
        }
    }

    @Test
    void aMissingDatasetSaysHowToGetIt() throws IOException {
        Path f = write("nodata.nn", """
                model M {
                    input x: [4]
                    x -> linear(2)
                }
                data d = idx("no_such_dataset")
                train M on d { loss cross_entropy }
                """);
        CliRun r = CliRun.of("train", f.toString(), "--no-download", "--data", tmp.toString());
        assertEquals(1, r.exit(), r::toString);
        assertTrue(r.err().contains(f + ":5:10: error: dataset 'no_such_dataset' was not found"), r::toString);
        assertTrue(r.err().contains("= hint: "), r::toString);
        assertFalse(r.hasStackTrace(), r::toString);
    }

    @Test
    void trainingEndsWithTheTestLineAndWritesMetricsAndWeights() throws IOException {
        Path out = tmp.resolve("run");
        CliRun r = CliRun.of("train", sample("mnist_mlp.nn"), "--epochs", "2", "--limit", "3000", "--out",
                out.toString());
        assertEquals(0, r.exit(), r::toString);
        String[] lines = r.out().strip().split("\n");
        String last = lines[lines.length - 1];
        assertTrue(last.matches("test: loss=\\d+\\.\\d{4} accuracy=0\\.\\d{4}"), last);
        double accuracy = Double.parseDouble(last.substring(last.indexOf("accuracy=") + 9));
        assertTrue(accuracy > 0.80, "2 epochs on 3000 MNIST samples should pass 80%: " + last);
        assertTrue(r.err().contains("epoch 2/2  train_loss"), r::toString);
        var csv = Files.readAllLines(out.resolve("metrics.csv"));
        assertEquals("epoch,seconds,train_loss,train_accuracy,val_loss,val_accuracy,lr", csv.get(0));
        assertEquals(3, csv.size(), csv::toString);
        assertTrue(csv.get(2).matches("2,\\d+\\.\\d{3},\\d+\\.\\d{6},0\\.\\d{6},,,0\\.0005"),
                "no validation set: the test set is not looked at during training: " + csv.get(2));
        assertTrue(r.err().contains("no validation set; 3,000 test samples, evaluated once at the end"), r::toString);
        assertTrue(Files.size(out.resolve("weights.nnw")) > 235_146 * 4);
    }
}
