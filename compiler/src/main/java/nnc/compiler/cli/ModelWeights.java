package nnc.compiler.cli;

import java.nio.file.Path;
import nnc.compiler.Compilation;
import nnc.compiler.CompileResult;
import nnc.compiler.ir.InitSpec;
import nnc.compiler.ir.ParamAttrs;
import nnc.compiler.runs.RunWeights;
import nnc.compiler.runs.Runs;
import nnc.runtime.model.CompiledModel;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * The weights options of {@code predict}, {@code build} and {@code bench infer}, and the model
 * they give: {@link WeightsChoice} picks {@code --weights}, else {@code --run}, else the latest
 * run of the model (found from the {@code .nn} file's folder, never the current directory);
 * without any, a model whose values are all fixed in the file runs on them, and any other is
 * an error, never a run on initial weights.
 */
final class ModelWeights {
    @Option(names = "--weights", paramLabel = "FILE", description = "A weights file (.nnw) or checkpoint (.nnck).")
    Path weights;

    @Option(names = "--run", paramLabel = "RUN", description = "A run folder, e.g. runs/MnistMlp/3.")
    Path run;

    @Option(names = "--force", description = "Load weights made for another model when every tensor's shape matches.")
    boolean force;

    /**
     * @param description what the weights are, for the line commands print and model jars keep
     * @param trained     false when the model runs on the values fixed in its file (or random ones)
     */
    record Loaded(CompiledModel model, String description, boolean trained) {
    }

    /** A new instance of the compiled model with the chosen weights; standard error says which. */
    Loaded load(CompileResult r, Path nnFile, CommandLine.Model.CommandSpec spec) {
        Loaded l = tryLoad(r, nnFile, spec);
        if (l != null) {
            return l;
        }
        Compilation c = r.compilation();
        if (!allFixed(c)) {
            String hint = Runs.newestOfAnotherSource(nnFile, c.modelName()).map(other -> {
                String run = Runs.display(other.getKey().dir());
                return "no run of " + nnFile.getFileName() + "; " + run + " holds weights trained from "
                        + other.getValue() + ")\n  = hint: pass --run " + run + " to use them, or train this file "
                        + "(./nnc train " + nnFile + ")";
            }).orElse("no runs next to it)\n  = hint: train it first (./nnc train " + nnFile
                    + "), or pass --run RUN or --weights FILE");
            throw new UserError("nnc: " + c.modelName() + " has weights that are neither fixed in " + nnFile
                    + " nor trained (" + hint);
        }
        String what = "the values fixed in " + nnFile;
        System.err.println("nnc: " + c.modelName() + ": " + what);
        return new Loaded(initialized(r), what, false);
    }

    /** The chosen weights, or random ones when there are none (timing does not depend on them). */
    Loaded loadOrRandom(CompileResult r, Path nnFile, CommandLine.Model.CommandSpec spec) {
        Loaded l = tryLoad(r, nnFile, spec);
        if (l != null) {
            return l;
        }
        System.err.println("nnc: " + r.modelName() + ": random weights (no trained ones; the timing is the same)");
        return new Loaded(initialized(r), "random weights", false);
    }

    private Loaded tryLoad(CompileResult r, Path nnFile, CommandLine.Model.CommandSpec spec) {
        if (run != null && weights != null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "give --run or --weights, not both");
        }
        CompiledModel model = initialized(r);
        RunWeights w = WeightsChoice.load(model, nnFile, weights, run, force);
        return w == null ? null : new Loaded(model, w.description(), true);
    }

    private static CompiledModel initialized(CompileResult r) {
        CompiledModel m = r.newModel();
        m.initialize(0);
        return m;
    }

    private static boolean allFixed(Compilation c) {
        return c.params().tensors().stream().map(ParamAttrs::init)
                .allMatch(i -> i instanceof InitSpec.Values || i instanceof InitSpec.Constant);
    }
}
