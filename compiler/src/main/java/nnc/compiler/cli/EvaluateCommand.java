package nnc.compiler.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import nnc.compiler.Compilation;
import nnc.compiler.CompileResult;
import nnc.runtime.exec.Exec;
import nnc.runtime.model.CompiledModel;
import nnc.runtime.train.Evaluation;
import nnc.runtime.train.Trainer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code nnc evaluate FILE}: the test-set loss and accuracy of trained weights, without training. */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = {"Report the loss and accuracy of trained weights on the test set.",
            "Nothing is trained. Weights come from --weights FILE, else --run RUN, else",
            "the latest run of the model trained from FILE (runs/MODEL/ next to FILE).",
            "The last line is 'test: loss=L accuracy=A', as 'nnc train' prints it."})
final class EvaluateCommand implements Callable<Integer> {
    @Parameters(paramLabel = "FILE", description = "The .nn file (its train declaration names the data and the loss).")
    Path file;

    @Mixin
    ModelWeights weights = new ModelWeights();

    @Mixin
    DataOptions dataOpts = new DataOptions();

    @Mixin
    CompileOptions options = new CompileOptions();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec command;

    @Override
    public Integer call() {
        if (weights.run != null && weights.weights != null) {
            throw new CommandLine.ParameterException(command.commandLine(), "give --run or --weights, not both");
        }
        CompileResult r = options.compile(file, o -> o, System.err);
        Compilation c = r.compilation();
        if (c.train() == null) {
            throw new UserError("nnc: " + file + " has no train declaration for " + c.modelName()
                    + ": nothing says which data and loss to evaluate on");
        }
        CompiledModel model = r.newModel();
        model.initialize(0);
        if (WeightsChoice.load(model, file, weights.weights, weights.run, weights.force) == null) {
            throw new UserError("nnc: " + c.modelName() + " has no runs next to " + file
                    + "\n  = hint: train it first (./nnc train " + file + "), or pass --run RUN or --weights FILE");
        }
        TrainingData data = TrainingData.load(c, file.toAbsolutePath().getParent(), dataOpts.dirs, !dataOpts.noDownload,
                dataOpts.limit);
        try (Exec exec = dataOpts.threads != null ? Exec.threads(dataOpts.threads) : Exec.allCores()) {
            Evaluation e = Trainer.evaluate(model, exec, data.test());
            System.out.println(RunEnd.testLine(c.objective(), e));
        }
        return Main.OK;
    }
}
