package nnc.compiler.cli;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import nnc.compiler.Compilation;
import nnc.compiler.CompileResult;
import nnc.compiler.ir.InitSpec;
import nnc.compiler.ir.ParamAttrs;
import nnc.runtime.model.CompiledModel;
import nnc.runtime.model.Objective;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code nnc predict FILE --input v1,v2,...}: runs the model on one sample. */
@Command(name = "predict", mixinStandardHelpOptions = true,
        description = {"Run a model on one sample and print its outputs.",
            "Weights come from --weights, else from the latest run of the model trained from FILE",
            "(runs/MODEL/ next to FILE, wherever nnc runs from), else from the values fixed in the .nn file."})
final class PredictCommand implements Callable<Integer> {
    @Parameters(paramLabel = "FILE", description = "The .nn file.")
    Path file;

    @Option(names = "--input", paramLabel = "V1,V2,...", required = true, split = ",",
            description = "The sample's values, flattened, comma separated.")
    List<String> input;

    @Option(names = "--weights", paramLabel = "FILE", description = "A weights file written by 'nnc train'.")
    Path weights;

    @Option(names = "--force", description = "Load weights made for another model when every tensor's shape matches.")
    boolean force;

    @Mixin
    CompileOptions options = new CompileOptions();

    @Override
    public Integer call() throws IOException {
        CompileResult r = Frontend.compile(file, options.compiler(), System.err);
        Compilation c = r.compilation();
        float[] x = parse(c);
        CompiledModel model = r.newModel();
        model.initialize(0);
        if (WeightsChoice.load(model, file, weights, null, force) == null && !allFixed(c)) {
            throw new UserError("nnc: " + c.modelName() + " has weights that are neither fixed in " + file
                    + " nor trained\n  = hint: train it first (./nnc train " + file + ") or pass --weights FILE");
        }
        float[] y = model.predict(x);
        List<String> out = new ArrayList<>();
        for (float v : y) {
            out.add(format(v));
        }
        System.out.println(String.join(" ", out));
        if (c.objective() == Objective.CLASSIFY && y.length > 1) {
            int arg = 0;
            double max = Double.NEGATIVE_INFINITY;
            double sum = 0;
            for (int i = 0; i < y.length; i++) {
                max = Math.max(max, y[i]);
            }
            for (int i = 0; i < y.length; i++) {
                sum += Math.exp(y[i] - max);
                if (y[i] > y[arg]) {
                    arg = i;
                }
            }
            System.out.printf("class %d (probability %s)%n", arg, format((float) (Math.exp(y[arg] - max) / sum)));
        }
        return Main.OK;
    }

    private float[] parse(Compilation c) {
        int expected = c.network().graph().type(c.network().graph().input()).size();
        if (input.size() != expected) {
            throw new UserError("nnc: " + c.modelName() + " takes " + expected + " input values, got " + input.size());
        }
        float[] x = new float[expected];
        for (int i = 0; i < expected; i++) {
            try {
                x[i] = Float.parseFloat(input.get(i).strip());
            } catch (NumberFormatException e) {
                throw new UserError("nnc: --input value " + (i + 1) + " is not a number: '" + input.get(i) + "'");
            }
            if (!Float.isFinite(x[i])) {
                throw new UserError("nnc: --input value " + (i + 1) + " is not a finite number a float holds: '"
                        + input.get(i).strip() + "'");
            }
        }
        return x;
    }

    private static boolean allFixed(Compilation c) {
        return c.params().tensors().stream().map(ParamAttrs::init)
                .allMatch(i -> i instanceof InitSpec.Values || i instanceof InitSpec.Constant);
    }

    /** Six significant digits, no trailing zeros: 0.0100000005 prints as 0.01. */
    static String format(float v) {
        if (!Float.isFinite(v)) {
            return Float.toString(v);
        }
        return new BigDecimal(v).round(new MathContext(6)).stripTrailingZeros().toPlainString();
    }
}
