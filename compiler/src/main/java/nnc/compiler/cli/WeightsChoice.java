package nnc.compiler.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import nnc.compiler.runs.RunFolder;
import nnc.compiler.runs.RunWeights;
import nnc.compiler.runs.Runs;
import nnc.runtime.io.WeightsFile;
import nnc.runtime.model.CompiledModel;

/**
 * The weights {@code predict} and {@code evaluate} use: {@code --weights FILE}, else
 * {@code --run RUN}, else the latest run of the model trained from the .nn file (found from
 * the file's folder, not the current directory). Weights of a run whose preprocessing or
 * output activation differs from the file's now are refused ({@link ServingMatch}); so is a run
 * that stopped before its first step, and the latest run when its settings are damaged.
 */
final class WeightsChoice {
    private WeightsChoice() {
    }

    /**
     * Loads the chosen weights into {@code model} and says which on standard error.
     *
     * @return what was loaded, or null when nothing was chosen and the model has no runs
     */
    static RunWeights load(CompiledModel model, Path nnFile, Path weights, Path run, boolean force) {
        try {
            RunWeights w;
            if (weights != null) {
                w = RunWeights.file(weights);
            } else if (run != null) {
                if (!Files.isDirectory(run)) {
                    throw new UserError("nnc: " + run + ": no such run folder");
                }
                w = RunWeights.of(RunFolder.at(run));
            } else {
                w = Runs.latestWeights(nnFile, model.spec().name()).orElse(null);
                if (w == null) {
                    return null;
                }
            }
            w.loadInto(model, force);
            ServingMatch.check(w, model.spec().serving(), nnFile, force);
            System.err.println("nnc: " + w.description());
            return w;
        } catch (WeightsFile.FormatException e) {
            throw new UserError("nnc: " + e.getMessage());
        } catch (IOException e) {
            throw new UserError("nnc: " + TrainCommand.describe(e));
        }
    }
}
