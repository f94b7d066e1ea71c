package nnc.compiler.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import nnc.compiler.CompileResult;
import nnc.compiler.NncCompiler;
import nnc.compiler.TestModels;
import nnc.runtime.data.DatasetPaths;
import nnc.runtime.data.Idx;
import nnc.runtime.data.IdxDataset;
import nnc.runtime.model.CompiledModel;
import nnc.runtime.model.Prediction;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code nnc build} and the jar it writes (issue 10, acceptance 1): the MNIST MLP trained for
 * one epoch, built into a jar, run with a plain {@code java -jar} on 20 MNIST test digits saved
 * as PNG files, and compared with the typed API of the same model on the same pictures (decoded
 * here by ImageIO, independently of the jar's own PNG reader).
 */
class ModelJarTest {
    static final int IMAGES = 20;
    static final long MODEL_JAR_LIMIT = 1_500_000;
    static final long RUNTIME_JAR_LIMIT = 300_000;
    /** Scalar kernels (the jar's in-process path for a few images) against SIMD ones: sums in another order. */
    static final float KERNEL_TOLERANCE = 1e-5f;

    @TempDir
    static Path tmp;
    static Path jar;
    static Path nn;
    static List<Path> pngs = new ArrayList<>();
    static int[] labels = new int[IMAGES];
    static String trainedTestLine;

    @BeforeAll
    static void trainBuildAndWriteImages() throws Exception {
        nn = Files.copy(TestModels.root().resolve("samples/mnist_mlp.nn"), tmp.resolve("mnist_mlp.nn"));
        CliRun train = CliRun.of("train", nn.toString(), "--epochs", "1");
        assertEquals(0, train.exit(), train::toString);
        trainedTestLine = train.out().strip();
        jar = tmp.resolve("model.jar");
        CliRun build = CliRun.of("build", nn.toString(), "-o", jar.toString());
        assertEquals(0, build.exit(), build::toString);
        assertTrue(build.err().contains("weights from ") && build.err().contains("runs/MnistMlp/1"), build::toString);

        Path mnist = DatasetPaths.standard(List.of()).find("mnist", IdxDataset::isComplete);
        assertNotNull(mnist, "MNIST is needed: ./nnc fetch mnist");
        Idx.Array images = Idx.read(mnist.resolve("t10k-images-idx3-ubyte"));
        Idx.Array labelFile = Idx.read(mnist.resolve("t10k-labels-idx1-ubyte"));
        for (int i = 0; i < IMAGES; i++) {
            BufferedImage b = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
            for (int p = 0; p < 784; p++) {
                b.getRaster().setSample(p % 28, p / 28, 0, images.data()[i * 784 + p] & 0xFF);
            }
            Path png = tmp.resolve(String.format("digit%02d.png", i));
            ImageIO.write(b, "png", png.toFile());
            pngs.add(png);
            labels[i] = labelFile.data()[i];
        }
    }

    /** The class and probability the jar printed for each image, from --format json. */
    record Answer(int index, float probability) {
    }

    static List<Answer> answers(String json) {
        List<Answer> out = new ArrayList<>();
        Matcher m = Pattern.compile("\"class\": (\\d+), \"label\": \"[^\"]*\", \"probability\": ([0-9.E-]+)}")
                .matcher(json);
        while (m.find()) {
            out.add(new Answer(Integer.parseInt(m.group(1)), Float.parseFloat(m.group(2))));
        }
        return out;
    }

    @Test
    void predictsMnistDigitsFromPngsLikeTheTypedApi() throws Exception {
        List<String> args = new ArrayList<>(List.of("predict", "--format", "json"));
        pngs.forEach(p -> args.add(p.toString()));
        Subprocess plain = Subprocess.jar(tmp, jar, List.of(), args.toArray(String[]::new));
        assertEquals(0, plain.exit(), plain::toString);
        List<Answer> fromJar = answers(plain.out());
        assertEquals(IMAGES, fromJar.size(), plain::toString);

        args.add(1, "--backend");
        args.add(2, "simd");
        Subprocess simd = Subprocess.jar(tmp, jar, List.of(), args.toArray(String[]::new));
        assertEquals(0, simd.exit(), simd::toString);
        assertFalse(simd.err().contains("incubator"), "the relaunch hides the JVM's incubator line: " + simd);
        List<Answer> fromSimd = answers(simd.out());

        CompiledModel typed = typedModel();
        int right = 0;
        for (int i = 0; i < IMAGES; i++) {
            Prediction p = typed.classify(pixels(pngs.get(i)));
            right += p.index() == labels[i] ? 1 : 0;
            assertEquals(p.index(), fromJar.get(i).index(), "image " + i);
            assertEquals(p.probability(), fromJar.get(i).probability(), KERNEL_TOLERANCE, "image " + i);
            assertEquals(p.index(), fromSimd.get(i).index(), "image " + i);
            assertEquals(p.probability(), fromSimd.get(i).probability(), "image " + i + ": same kernels, same bits");
        }
        assertTrue(right >= 19, right + " of " + IMAGES + " right");
    }

    /** The typed API of the same model: the generated class's static load(Path), on the trained weights. */
    private static CompiledModel typedModel() throws Exception {
        CompileResult r = NncCompiler.compile(nn, NncCompiler.Options.defaults());
        Object m = r.modelClass().getMethod("load", Path.class).invoke(null, tmp.resolve("runs/MnistMlp/1/weights.nnw"));
        return (CompiledModel) m;
    }

    /** Raw pixels 0-255 as ImageIO reads them. */
    private static float[] pixels(Path png) throws Exception {
        BufferedImage b = ImageIO.read(png.toFile());
        float[] x = new float[784];
        for (int p = 0; p < 784; p++) {
            x[p] = b.getRaster().getSample(p % 28, p / 28, 0);
        }
        return x;
    }

    @Test
    void jarsAreSmall() throws Exception {
        assertTrue(Files.size(jar) <= MODEL_JAR_LIMIT, "model jar: " + Files.size(jar) + " bytes");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (JarOutputStream out = new JarOutputStream(bytes)) {
            for (Map.Entry<String, byte[]> e : JarBuilder.runtimeClasses().entrySet()) {
                out.putNextEntry(new JarEntry(e.getKey()));
                out.write(e.getValue());
            }
        }
        assertTrue(bytes.size() <= RUNTIME_JAR_LIMIT, "the runtime's classes, jarred: " + bytes.size() + " bytes");
    }

    @Test
    void evaluatesThroughTheRawPathAsTrainingDid() throws Exception {
        Subprocess r = Subprocess.jar(tmp, jar, List.of(), "evaluate", "mnist");
        assertEquals(0, r.exit(), r::toString);
        Matcher jarLine = Pattern.compile("test: loss=(\\S+) accuracy=(\\S+) \\(10000 samples\\)").matcher(r.out());
        Matcher trainLine = Pattern.compile("test: loss=(\\S+) accuracy=(\\S+)").matcher(trainedTestLine);
        assertTrue(jarLine.find() && trainLine.find(), r + "\n" + trainedTestLine);
        assertEquals(trainLine.group(2), jarLine.group(2), "accuracy");
        assertEquals(Double.parseDouble(trainLine.group(1)), Double.parseDouble(jarLine.group(1)), 1e-3, "loss");
        assertFalse(r.err().contains("note:"), "the data it trained on: no note " + r);

        Subprocess other = Subprocess.jar(tmp, jar, List.of(), "evaluate", "fashion_mnist", "--limit", "100");
        assertEquals(0, other.exit(), other::toString);
        assertTrue(other.err().contains("note: " + typedModel().spec().name() + " was trained on mnist; this evaluates it "
                + "on fashion_mnist"), other::toString);
    }

    @Test
    void usageMistakesAndBadInputsAreReportedWithoutStackTraces() throws Exception {
        Subprocess none = Subprocess.jar(tmp, jar, List.of());
        assertEquals(2, none.exit(), none::toString);
        assertTrue(none.err().contains("Usage: java -jar model.jar COMMAND"), none::toString);
        for (String cmd : new String[] {"predict", "evaluate", "info"}) {
            Subprocess help = Subprocess.jar(tmp, jar, List.of(), cmd, "--help");
            assertEquals(0, help.exit(), help::toString);
            assertTrue(help.out().startsWith("Usage: java -jar model.jar " + cmd), help::toString);
        }
        Subprocess top = Subprocess.jar(tmp, jar, List.of(), "predict", "--top", "0", pngs.get(0).toString());
        assertEquals(2, top.exit(), top::toString);
        Subprocess topFile = Subprocess.jar(tmp, jar, List.of(), "predict", "--top", pngs.get(0).toString());
        assertEquals(2, topFile.exit(), topFile::toString);
        assertTrue(topFile.err().contains("--top needs a whole number, got '" + pngs.get(0) + "'"), topFile::toString);
        Subprocess missing = Subprocess.jar(tmp, jar, List.of(), "predict", "nosuch.png");
        assertEquals(1, missing.exit(), missing::toString);
        assertTrue(missing.err().contains("nosuch.png: no such file"), missing::toString);
        Subprocess notAnInput = Subprocess.jar(tmp, jar, List.of(), "predict", nn.toString());
        assertEquals(1, notAnInput.exit(), notAnInput::toString);
        Path rows = Files.writeString(tmp.resolve("rows.csv"), "0.1,0.2,1\n0.3,0.4,0\n");
        Subprocess narrow = Subprocess.jar(tmp, jar, List.of(), "evaluate", rows.toString());
        assertEquals(1, narrow.exit(), narrow::toString);
        assertTrue(narrow.err().contains(rows + ": its samples have 2 values, but MnistMlp takes [784]"), narrow::toString);
        Subprocess info = Subprocess.jar(tmp, jar, List.of(), "info");
        assertEquals(0, info.exit(), info::toString);
        assertTrue(info.out().contains("normalize(mean: 0.1307, std: 0.3081)") && info.out().contains("Weights: weights from"),
                info::toString);
        assertTrue(info.out().contains("Output: [10] class probabilities (a softmax of the network's scores, applied once)\n"
                + "Classes: numbered 0 to 9\n"), info::toString);
        for (Subprocess s : List.of(none, top, missing, notAnInput, narrow, info)) {
            assertFalse(s.hasStackTrace(), s::toString);
        }
    }

    /** A JVM older than the runtime's classes loads the jar's Java 8 main class, which says what to do. */
    @Test
    void anOlderJavaIsToldWhichJavaTheModelNeeds() throws Exception {
        Path old = olderJava();
        Assumptions.assumeTrue(old != null, "no JDK older than 21 under /usr/lib/jvm");
        Subprocess r = Subprocess.run(tmp, List.of(old.toString(), "-jar", jar.toString(), "info"));
        assertEquals(1, r.exit(), r::toString);
        assertTrue(r.err().startsWith("java -jar model.jar: this model needs Java 21 or later; this is Java "), r::toString);
        assertTrue(r.err().contains("= hint: "), r::toString);
        assertFalse(r.hasStackTrace() || r.err().contains("UnsupportedClassVersionError"), r::toString);
    }

    /** The java of a JDK or JRE older than 21 under /usr/lib/jvm, or null. */
    private static Path olderJava() throws Exception {
        Path jvms = Path.of("/usr/lib/jvm");
        if (!Files.isDirectory(jvms)) {
            return null;
        }
        try (var homes = Files.list(jvms)) {
            for (Path home : homes.toList()) {
                Path release = home.resolve("release");
                Path java = home.resolve("bin/java");
                if (Files.isRegularFile(release) && Files.isExecutable(java)) {
                    Matcher v = Pattern.compile("JAVA_VERSION=\"(?:1\\.)?(\\d+)").matcher(Files.readString(release));
                    if (v.find() && Integer.parseInt(v.group(1)) < 21) {
                        return java;
                    }
                }
            }
        }
        return null;
    }

    @Test
    void buildRefusesWhatItCannotBuild() throws Exception {
        CliRun noOutput = CliRun.of("build", nn.toString());
        assertEquals(2, noOutput.exit(), noOutput::toString);
        CliRun folder = CliRun.of("build", nn.toString(), "-o", tmp.toString());
        assertEquals(1, folder.exit(), folder::toString);
        Path untrained = Files.copy(nn, Files.createDirectories(tmp.resolve("fresh")).resolve("mnist_mlp.nn"));
        CliRun noWeights = CliRun.of("build", untrained.toString(), "-o", tmp.resolve("fresh/m.jar").toString());
        assertEquals(1, noWeights.exit(), noWeights::toString);
        assertTrue(noWeights.err().contains("nor trained"), noWeights::toString);
        assertFalse(Files.exists(tmp.resolve("fresh/m.jar")));
        String source = Files.readString(nn);
        CliRun ontoSource = CliRun.of("build", nn.toString(), "-o", nn.toString());
        assertEquals(1, ontoSource.exit(), ontoSource::toString);
        assertEquals(source, Files.readString(nn), "the .nn file is kept");
        Path again = Files.copy(jar, tmp.resolve("again.jar"));
        CliRun rebuild = CliRun.of("build", nn.toString(), "-o", again.toString());
        assertEquals(0, rebuild.exit(), "a jar is replaced: " + rebuild);
    }

    @Test
    void aBuildKilledWhileWritingTheJarLeavesOnlyAFileTheNextBuildReplaces() throws Exception {
        Assumptions.assumeFalse(System.getProperty("os.name").startsWith("Windows"), "kill");
        Path dir = Files.createDirectories(tmp.resolve("killed"));
        Path target = dir.resolve("m.jar").toAbsolutePath();
        try (TrainProcess p = TrainProcess.start(tmp, 2000, "build", nn.toString(), "-o", target.toString())) {
            assertTrue(p.await(l -> l.equals("nnc: test: writing " + target), 120_000), "the jar is written through "
                    + "AtomicFile, which pauses halfway in this test:\n" + p.err());
            p.kill();
        }
        assertEquals(List.of(".m.jar.tmp"), names(dir), "the jar's temporary file, as AtomicFile names it");
        CliRun rebuild = CliRun.of("build", nn.toString(), "-o", target.toString());
        assertEquals(0, rebuild.exit(), rebuild::toString);
        assertEquals(List.of("m.jar"), names(dir), "the next build of the same jar leaves no temporary file");
    }

    private static List<String> names(Path dir) throws java.io.IOException {
        try (var files = Files.list(dir)) {
            return files.map(f -> f.getFileName().toString()).sorted().toList();
        }
    }
}
