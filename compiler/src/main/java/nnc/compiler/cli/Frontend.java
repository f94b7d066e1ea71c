package nnc.compiler.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import nnc.compiler.CompileResult;
import nnc.compiler.NncCompiler;
import nnc.compiler.diag.DiagnosticPrinter;
import nnc.compiler.diag.Diagnostics;
import nnc.compiler.diag.SourceFile;

/**
 * Reads a .nn file and compiles it through {@link NncCompiler}, printing diagnostics; a file
 * with errors is a {@link UserError}.
 */
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
        } catch (SourceFile.ReadException e) {
            throw new UserError(e.getMessage());
        } catch (IOException e) {
            throw new UserError("nnc: cannot read " + file + ": " + e.getMessage());
        }
    }

    /** Compiles {@code file} as far as {@code options.goal()}; prints diagnostics, throws on errors. */
    static CompileResult compile(Path file, NncCompiler.Options options, PrintStream err) {
        return compile(read(file), options, err);
    }

    /** Compiles source text already read (a run's own copy, for {@code train --resume}). */
    static CompileResult compile(SourceFile source, NncCompiler.Options options, PrintStream err) {
        CompileResult r = NncCompiler.compile(source, options);
        err.print(r.render());
        failOnErrors(r.errors().size());
        return r;
    }

    /** Prints diagnostics found after compiling (data that does not fit, say); throws when there are errors. */
    static void report(SourceFile src, Diagnostics d, PrintStream err) {
        err.print(DiagnosticPrinter.render(src, d.all()));
        failOnErrors(d.errorCount());
    }

    private static void failOnErrors(int n) {
        if (n > 0) {
            throw new UserError(n + (n == 1 ? " error" : " errors"));
        }
    }
}
