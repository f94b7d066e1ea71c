package nnc.compiler.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import nnc.compiler.Compilation;
import nnc.compiler.Pipeline;
import nnc.compiler.codegen.InProcessCompiler;
import nnc.compiler.diag.DiagnosticPrinter;
import nnc.compiler.diag.Diagnostics;
import nnc.compiler.diag.SourceFile;
import nnc.compiler.driver.ModelFactory;
import nnc.runtime.model.CompiledModel;

/** Reads a .nn file and runs the pipeline, printing diagnostics; a file with errors is a {@link UserError}. */
final class Frontend {
    private Frontend() {
    }

    static SourceFile read(Path file) {
        try {
            if (Files.isDirectory(file)) {
                throw new UserError("nnc: " + file + " is a folder; give a .nn file");
            }
            return SourceFile.read(file);
        } catch (NoSuchFileException e) {
            throw new UserError("nnc: " + file + ": no such file");
        } catch (IOException e) {
            throw new UserError("nnc: cannot read " + file + ": " + e.getMessage());
        }
    }

    static Compilation compile(Path file, Pipeline.Options options, PrintStream err) {
        SourceFile src = read(file);
        Diagnostics d = new Diagnostics(src);
        Compilation c = Pipeline.compile(src, options, d);
        report(src, d, err);
        return c;
    }

    /**
     * Compiles the generated Java in process and constructs the model. A failure there is a
     * bug in nnc, not in the user's file, so it surfaces as an internal error.
     */
    static CompiledModel instantiate(Compilation c, boolean profile) {
        try {
            return ModelFactory.instantiate(c, profile);
        } catch (InProcessCompiler.Failure e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    /** Prints diagnostics; throws when there are errors. */
    static void report(SourceFile src, Diagnostics d, PrintStream err) {
        err.print(DiagnosticPrinter.render(src, d.all()));
        if (d.hasErrors()) {
            int n = d.errorCount();
            throw new UserError(n + (n == 1 ? " error" : " errors"));
        }
    }
}
