package nnc.compiler.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import nnc.compiler.CompileResult;
import nnc.runtime.exec.Exec;
import nnc.runtime.model.CompiledModel;
import nnc.runtime.model.NonFiniteInputException;
import nnc.runtime.serve.InputException;
import nnc.runtime.serve.Inputs;
import nnc.runtime.serve.Report;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code nnc predict FILE INPUT...}: runs a model on raw inputs, with its own preprocessing. */
@Command(name = "predict", mixinStandardHelpOptions = true,
        description = {"Run a model on raw inputs; print each one's class and probability (or outputs).",
            "Inputs: PNG, JPEG, GIF, BMP or PGM/PPM images (converted to the model's channels",
            "and resized to its input), IDX files (a sample per item), CSV rows, or --input.",
            "They are raw (pixels 0-255, CSV values as in the file): the model applies its",
            "data's normalize itself, and a classifier's softmax once.",
            "Weights: --weights, else --run, else the latest run of the model (in the",
            "folder runs/MODEL/ next to the .nn file), else the values fixed in the .nn",
            "file; standard error says which."})
final class PredictCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "FILE", description = "The .nn file.")
    Path file;

    @Parameters(index = "1..*", paramLabel = "INPUT", description = "Image, IDX or CSV files.")
    List<Path> inputs = new ArrayList<>();

    @Option(names = "--input", paramLabel = "V1,V2,...",
            description = "One sample's raw values, flattened, comma separated (instead of files); repeat it for "
                + "more samples.")
    List<String> values;

    @Mixin
    ModelWeights weights = new ModelWeights();

    @Option(names = "--top", paramLabel = "K", defaultValue = "1", description = "Print the K most probable classes (default: 1).")
    int top;

    @Option(names = "--format", paramLabel = "F", defaultValue = "text",
            description = "text (default), json (an object per input, exact numbers) or csv.")
    String format;

    @Mixin
    CompileOptions options = new CompileOptions();

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        if (inputs.isEmpty() == (values == null)) {
            throw usage("give input files or --input values (one of the two)");
        }
        if (top < 1) {
            throw usage("--top must be >= 1, got " + top);
        }
        Report.Format f = switch (format.toLowerCase(Locale.ROOT)) {
            case "text" -> Report.Format.TEXT;
            case "json" -> Report.Format.JSON;
            case "csv" -> Report.Format.CSV;
            default -> throw usage("--format must be text, json or csv, got '" + format + "'");
        };
        CompileResult r = options.compile(file, o -> o, System.err);
        options.dumps(r.compilation(), System.out);
        CompiledModel model = weights.load(r, file, spec).model();
        int width = model.spec().outputSize();
        if (!model.spec().serving().output().isClassifier()
                && spec.commandLine().getParseResult().hasMatchedOption("--top")) {
            throw usage("--top ranks classes, and " + model.spec().name() + " is not a classifier (it prints its "
                    + width + (width == 1 ? " output" : " outputs") + "); leave --top out");
        }
        Inputs.Batch in;
        try {
            in = values != null ? samples(model) : Inputs.read(inputs, model.spec());
        } catch (InputException e) {
            throw new UserError("nnc: " + e.getMessage());
        }
        in.noteLines().forEach(n -> System.err.println("nnc: note: " + n));
        float[] y = new float[in.count() * model.spec().outputSize()];
        try (Exec exec = Exec.sequential()) {
            model.newPredictor(exec, Math.min(256, in.count())).predict(in.values(), 0, in.count(), y, 0);
        } catch (NonFiniteInputException e) {
            throw new UserError("nnc: " + in.names().get(e.sample()) + ": " + e.getMessage());
        }
        new Report(model.spec(), f, top, System.out).print(in, y, values == null || values.size() > 1);
        System.out.flush();
        notFinite(in, y, model.spec().outputSize());
        return Main.OK;
    }

    /** One sample per {@code --input}: "input" when there is one, else "input 1", "input 2", ... */
    private Inputs.Batch samples(CompiledModel model) throws InputException {
        int size = model.spec().inputSize();
        float[] x = new float[values.size() * size];
        List<String> names = new ArrayList<>();
        for (int i = 0; i < values.size(); i++) {
            String name = values.size() == 1 ? "input" : "input " + (i + 1);
            Inputs.Batch one;
            try {
                one = Inputs.values(List.of(values.get(i).split(",", -1)), model.spec());
            } catch (InputException e) {
                // the message names "--input"; with several, say which
                throw values.size() == 1 ? e : new InputException(e.getMessage().replaceFirst("^--input", "--input " + (i + 1)));
            }
            System.arraycopy(one.values(), 0, x, i * size, size);
            names.add(name);
        }
        return new Inputs.Batch(names, x, values.size());
    }

    /**
     * Outputs that are infinite or NaN are printed (JSON has them as strings), but they are no
     * prediction: the model overflowed a float on that input, which is an error in the input.
     */
    private static void notFinite(Inputs.Batch in, float[] y, int width) {
        for (int i = 0; i < y.length; i++) {
            if (!Float.isFinite(y[i])) {
                throw new UserError("nnc: the output for " + in.names().get(i / width) + " is not finite (output "
                        + i % width + " is " + y[i] + "): the model overflowed a float on it"
                        + "\n  = hint: check the input's scale; the model takes raw values like its data's");
            }
        }
    }

    private picocli.CommandLine.ParameterException usage(String message) {
        return new picocli.CommandLine.ParameterException(spec.commandLine(), message);
    }
}
