package nnc.compiler.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import nnc.compiler.Compilation;
import nnc.compiler.ir.InitSpec;
import nnc.compiler.ir.ParamAttrs;

/**
 * Which weights {@code predict}, {@code build} and {@code bench infer} use for a model: the
 * one place that decides, so that run folders can replace it. Paths are resolved from the
 * {@code .nn} file's folder, never from the current directory (running from elsewhere once
 * silently used a model's initial weights).
 */
final class ModelWeights {
    private ModelWeights() {
    }

    /**
     * @param file        the weights file, or null when every value is fixed in the .nn file
     * @param description what the weights are, for the line commands print about them
     */
    record Choice(Path file, String description) {
    }

    /** Where {@code nnc train} writes a model's weights and metrics by default: {@code out/MODEL} beside the .nn file. */
    static Path defaultRunDir(Path nnFile, String model) {
        return nnFile.toAbsolutePath().normalize().getParent().resolve("out").resolve(model);
    }

    /** {@code --weights} when given, else the last training run's weights, else the values fixed in the file. */
    static Choice choose(Path nnFile, Compilation c, Path explicit) {
        if (explicit != null) {
            if (!Files.isRegularFile(explicit)) {
                throw new UserError("nnc: " + explicit + ": no such weights file");
            }
            return new Choice(explicit, "weights from " + explicit.toAbsolutePath().normalize());
        }
        Path trained = defaultRunDir(nnFile, c.modelName()).resolve(c.modelName() + ".nnw");
        if (Files.isRegularFile(trained)) {
            return new Choice(trained, "trained weights from " + trained);
        }
        if (allFixed(c)) {
            return new Choice(null, "the values fixed in " + nnFile);
        }
        throw new UserError("nnc: " + c.modelName() + " has weights that are neither fixed in " + nnFile
                + " nor trained (no " + trained + ")\n  = hint: train it first (./nnc train " + nnFile
                + ") or pass --weights FILE");
    }

    private static boolean allFixed(Compilation c) {
        return c.params().tensors().stream().map(ParamAttrs::init)
                .allMatch(i -> i instanceof InitSpec.Values || i instanceof InitSpec.Constant);
    }
}
