package nnc.compiler;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import nnc.compiler.diag.SourceFile;

/** Helpers to compile .nn text in tests, through the public {@link NncCompiler} API. */
public final class TestModels {
    private TestModels() {
    }

    /** The repository root (the build passes it; the working folder otherwise). */
    public static Path root() {
        String r = System.getProperty("nnc.root");
        return r != null ? Path.of(r).toAbsolutePath().normalize() : Path.of("..").toAbsolutePath().normalize();
    }

    /** Compiles {@code text} (named test.nn) to a loaded class; fails the test on diagnostics with errors. */
    public static CompileResult build(String text, boolean fuse) {
        return ok(NncCompiler.compile(new SourceFile("test.nn", text), NncCompiler.Options.defaults().fuse(fuse)));
    }

    /** Compiles a file to a loaded class; fails the test on errors. */
    public static CompileResult buildFile(Path file, boolean fuse) throws java.io.IOException {
        return ok(NncCompiler.compile(file, NncCompiler.Options.defaults().fuse(fuse)));
    }

    /** The IR of every stage for {@code text}, without generating code. */
    public static Compilation compile(String text, boolean fuse) {
        return ok(NncCompiler.compile(new SourceFile("test.nn", text), analyze(fuse))).compilation();
    }

    public static Compilation compileFile(Path file, boolean fuse) throws java.io.IOException {
        return ok(NncCompiler.compile(file, analyze(fuse))).compilation();
    }

    /** The generated Java of {@code text}. */
    public static String source(String text, boolean fuse) {
        return ok(NncCompiler.compile(new SourceFile("test.nn", text),
                NncCompiler.Options.defaults().fuse(fuse).goal(NncCompiler.Goal.SOURCE))).java().text();
    }

    public static String sourceOfFile(Path file, boolean fuse) throws java.io.IOException {
        return ok(NncCompiler.compile(file, NncCompiler.Options.defaults().fuse(fuse).goal(NncCompiler.Goal.SOURCE)))
                .java().text();
    }

    private static NncCompiler.Options analyze(boolean fuse) {
        return NncCompiler.Options.defaults().fuse(fuse).goal(NncCompiler.Goal.ANALYZE);
    }

    private static CompileResult ok(CompileResult r) {
        assertTrue(r.ok(), () -> "expected no errors, got:\n" + r.render());
        return r;
    }
}
