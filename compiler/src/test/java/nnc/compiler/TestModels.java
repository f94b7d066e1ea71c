package nnc.compiler;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.nio.file.Path;
import nnc.compiler.codegen.InProcessCompiler;
import nnc.compiler.diag.DiagnosticPrinter;
import nnc.compiler.diag.Diagnostics;
import nnc.compiler.diag.SourceFile;
import nnc.compiler.driver.ModelFactory;
import nnc.runtime.model.CompiledModel;

/** Helpers to compile .nn text in tests. */
public final class TestModels {
    private TestModels() {
    }

    /** The repository root (the build passes it; the working folder otherwise). */
    public static Path root() {
        String r = System.getProperty("nnc.root");
        return r != null ? Path.of(r).toAbsolutePath().normalize() : Path.of("..").toAbsolutePath().normalize();
    }

    public static Compilation compile(String text, boolean fuse) {
        SourceFile src = new SourceFile("test.nn", text);
        Diagnostics d = new Diagnostics(src);
        Compilation c = Pipeline.compile(src, Pipeline.Options.defaults().withFuse(fuse), d);
        assertNotNull(c, () -> "expected no errors, got:\n" + DiagnosticPrinter.render(src, d.all()));
        return c;
    }

    public static Compilation compileFile(Path file, boolean fuse) throws java.io.IOException {
        SourceFile src = SourceFile.read(file);
        Diagnostics d = new Diagnostics(src);
        Compilation c = Pipeline.compile(src, Pipeline.Options.defaults().withFuse(fuse), d);
        assertNotNull(c, () -> "expected no errors, got:\n" + DiagnosticPrinter.render(src, d.all()));
        return c;
    }

    public static CompiledModel instantiate(Compilation c) {
        try {
            return ModelFactory.instantiate(c);
        } catch (InProcessCompiler.Failure e) {
            throw new AssertionError(e.getMessage(), e);
        }
    }
}
