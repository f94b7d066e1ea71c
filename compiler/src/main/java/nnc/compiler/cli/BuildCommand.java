package nnc.compiler.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import nnc.compiler.Compilation;
import nnc.compiler.CompileResult;
import nnc.compiler.NncCompiler;
import nnc.compiler.ir.Graph;
import nnc.compiler.ir.Node;
import nnc.compiler.ir.ParamAttrs;
import nnc.runtime.serve.ModelJar;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code nnc build FILE -o model.jar}: one runnable jar with the compiled model, the runtime and the weights. */
@Command(name = "build", mixinStandardHelpOptions = true,
        description = {"Build one runnable jar: the compiled model, the nnc runtime and the weights.",
            "Run it on JDK 21 or later:",
            "  java -jar model.jar predict IMAGE...  |  evaluate DATASET  |  info",
            "Weights: --weights, else --run, else the latest run of the model (in the",
            "folder runs/MODEL/ next to the .nn file), else the values fixed in the .nn",
            "file."})
final class BuildCommand implements Callable<Integer> {
    @Parameters(paramLabel = "FILE", description = "The .nn file.")
    Path file;

    @Option(names = {"-o", "--output"}, paramLabel = "JAR", required = true,
            description = "The jar to write; replaces a model jar built before, refuses any other existing file.")
    Path output;

    @Mixin
    ModelWeights weights = new ModelWeights();

    @Option(names = "--package", paramLabel = "NAME", defaultValue = NncCompiler.DEFAULT_PACKAGE,
            description = "Java package (default ${DEFAULT-VALUE}) of the model class.")
    String packageName;

    @Mixin
    CompileOptions options = new CompileOptions();

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        if (!NncCompiler.isPackageName(packageName)) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "--package: '" + packageName + "' is not a Java package name");
        }
        if (Files.isDirectory(output)) {
            throw new UserError("nnc: " + output + " is a folder; give the jar's file name (-o model.jar)");
        }
        if (!replaceable(output)) {
            throw new UserError(spec.qualifiedName() + ": --output: " + output + " exists and is not a model jar; a "
                    + "model jar nnc built is replaced, any other file is kept: give another name (-o model.jar)");
        }
        CompileResult r = options.compile(file, o -> o.packageName(packageName), System.err);
        Compilation c = r.compilation();
        options.dumps(c, System.out);
        ModelWeights.Loaded w = weights.load(r, file, spec);
        // the weights as loaded (from a file, a run's checkpoint, --force), written in the .nnw format
        byte[] nnw = w.trained() ? weightsFile(w.model()) : null;
        String weightsEntry = nnw == null ? "" : "META-INF/nnc/" + c.modelName() + ".nnw";
        Map<String, String> descriptor = new LinkedHashMap<>();
        descriptor.put(ModelJar.CLASS, r.className());
        descriptor.put(ModelJar.WEIGHTS, weightsEntry);
        descriptor.put(ModelJar.WEIGHTS_ORIGIN, w.description());
        descriptor.put(ModelJar.SOURCE, file.toAbsolutePath().normalize().toString());
        descriptor.put(ModelJar.BUILT, Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        descriptor.put(ModelJar.NNC_VERSION, new Main.Version().getVersion()[0].replaceFirst("^nnc ", ""));
        descriptor.put(ModelJar.MACS, Long.toString(macsPerSample(c.inferGraph())));
        String dataset = c.data() == null ? "" : switch (c.data().source()) {
            case nnc.compiler.pass.DataSpec.Idx idx -> idx.dataset();
            case nnc.compiler.pass.DataSpec.Cifar cifar -> cifar.dataset();
            default -> "";
        };
        descriptor.put(ModelJar.DATA, dataset.contains("/") ? "" : dataset); // a name, not a folder
        nnc.compiler.ir.Graph g = c.network().graph();
        String summary = Summary.render(c, 1) + "Input: " + g.type(g.input()).shapeText()
                + ", raw: " + w.model().spec().serving().description() + "\n"
                + nnc.compiler.codegen.ModelApi.outputLines(w.model().spec().serving(), g.type(g.output()).shapeText(),
                        w.model().spec().outputSize());
        JarBuilder.write(output, r.classFiles(), nnw, weightsEntry, descriptor, summary);
        System.err.printf("nnc: wrote %s (%,d bytes): java -jar %s predict INPUT...%n", output, Files.size(output),
                output);
        return Main.OK;
    }

    /**
     * A file {@code -o} may replace: none, an empty one, or a model jar an earlier build wrote (a
     * zip holding {@link ModelJar#DESCRIPTOR}). Anything else is someone's work: the .nn file
     * itself, its weights, or another zip (a library's jar, a .docx).
     */
    private static boolean replaceable(Path output) throws IOException {
        if (!Files.isRegularFile(output) || Files.size(output) == 0) {
            return true;
        }
        try (var zip = new java.util.zip.ZipFile(output.toFile())) {
            return zip.getEntry(ModelJar.DESCRIPTOR) != null;
        } catch (java.util.zip.ZipException notAZip) {
            return false;
        }
    }

    /** The model's parameters as a {@code .nnw} file's bytes. */
    private static byte[] weightsFile(nnc.runtime.model.CompiledModel model) throws IOException {
        Path tmp = Files.createTempFile("nnc-build", ".nnw");
        try {
            model.save(tmp);
            return Files.readAllBytes(tmp);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * Multiply-adds of one sample's forward pass, roughly: for each op that reads a weight of
     * rank >= 2 ({@code [out, ...]}), its output size times the weight's size per output
     * channel (exact for linear and convolution layers).
     */
    static long macsPerSample(Graph g) {
        long macs = 0;
        for (Node n : g.nodes()) {
            for (int in : n.inputs()) {
                Node p = g.node(in);
                if (p.attrs() instanceof ParamAttrs && p.type().rank() >= 2 && n.type().batched()) {
                    macs += (long) n.type().size() * (p.type().size() / p.type().dim(0));
                }
            }
        }
        return macs;
    }
}
