package nnc.compiler;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import nnc.compiler.diag.Diagnostics;
import nnc.compiler.diag.SourceFile;
import nnc.compiler.layers.Val;

/**
 * The public compiler API: {@code .nn} text in; diagnostics, the generated Java and, on
 * request, the loaded model class out. The command line, the tests, the benchmarks, the Maven
 * plugin, the model-jar builder and the language server all compile through here, and this
 * class runs {@link Pipeline}, the ordered list of passes.
 *
 * <pre>
 *   CompileResult r = NncCompiler.compile(SourceFile.read(path), Options.defaults().goal(Goal.CLASS));
 *   if (!r.ok()) {
 *       System.err.print(r.render());          // file:line:col: error: ..., the line, a caret
 *   }
 *   CompiledModel model = r.newModel();
 * </pre>
 *
 * User mistakes are diagnostics in the result, never exceptions. An exception out of here is
 * a bug in nnc (an {@link IllegalStateException} whose message starts with "internal error").
 */
public final class NncCompiler {
    private NncCompiler() {
    }

    /** How far to go. Each goal includes the ones before it. */
    public enum Goal {
        /** Parse, check and plan: diagnostics and the IR of every stage. */
        ANALYZE,
        /** Also generate the Java source of the model class. */
        SOURCE,
        /** Also compile that source in memory and load the class. */
        CLASS
    }

    /** The Java package generated classes go to unless {@link Options#packageName} says otherwise. */
    public static final String DEFAULT_PACKAGE = "nnc.generated";

    /**
     * @param model       the model to compile, or null for the trained one (else the last one)
     * @param fuse        run operator fusion (false: one kernel per op, {@code --no-fuse})
     * @param overrides   model parameter values that replace the file's ({@code --set}, sweeps)
     * @param packageName the Java package of the generated class
     * @param profile     time every kernel of the training side ({@code --profile})
     * @param goal        how far to go
     */
    public record Options(String model, boolean fuse, Map<String, Val> overrides, String packageName,
                          boolean profile, Goal goal) {
        public Options {
            overrides = Map.copyOf(overrides);
            Objects.requireNonNull(packageName, "packageName");
            Objects.requireNonNull(goal, "goal");
            if (!isPackageName(packageName)) {
                throw new IllegalArgumentException("'" + packageName + "' is not a Java package name");
            }
        }

        /** The trained (else last) model, fused, in {@link #DEFAULT_PACKAGE}, up to {@link Goal#CLASS}. */
        public static Options defaults() {
            return new Options(null, true, Map.of(), DEFAULT_PACKAGE, false, Goal.CLASS);
        }

        public Options model(String m) {
            return new Options(m, fuse, overrides, packageName, profile, goal);
        }

        public Options fuse(boolean f) {
            return new Options(model, f, overrides, packageName, profile, goal);
        }

        public Options overrides(Map<String, Val> o) {
            return new Options(model, fuse, o, packageName, profile, goal);
        }

        /** These overrides on top of the ones already given. */
        public Options override(Map<String, Val> more) {
            Map<String, Val> all = new LinkedHashMap<>(overrides);
            all.putAll(more);
            return overrides(all);
        }

        public Options packageName(String p) {
            return new Options(model, fuse, overrides, p, profile, goal);
        }

        public Options profile(boolean p) {
            return new Options(model, fuse, overrides, packageName, p, goal);
        }

        public Options goal(Goal g) {
            return new Options(model, fuse, overrides, packageName, profile, g);
        }
    }

    /** True for a dotted Java package name whose parts are identifiers and not keywords. */
    public static boolean isPackageName(String name) {
        if (name == null || name.isEmpty()) {
            return false;
        }
        for (String part : name.split("\\.", -1)) {
            if (!javax.lang.model.SourceVersion.isIdentifier(part) || javax.lang.model.SourceVersion.isKeyword(part)) {
                return false;
            }
        }
        return true;
    }

    /** Compiles the main model of a source (see {@link Options#model}) as far as {@code options.goal()}. */
    public static CompileResult compile(SourceFile source, Options options) {
        Diagnostics d = new Diagnostics(source);
        Pipeline.Output out = Pipeline.run(source, options, d);
        return new CompileResult(source, d.all(), out, null);
    }

    /** Reads a file and compiles it; see {@link #compile(SourceFile, Options)}. */
    public static CompileResult compile(Path file, Options options) throws IOException {
        return compile(SourceFile.read(file), options);
    }

    /** Compiles a string, named {@code name} in diagnostics. */
    public static CompileResult compile(String name, String text, Options options) {
        return compile(new SourceFile(name, text), options);
    }

    /**
     * Checks everything in a source: every model and block, every data, train and sweep
     * declaration ({@code nnc check}). The result has the diagnostics and, for editors, the
     * {@link CompileResult#analysis() analysis}: the syntax tree and every model's shapes as
     * far as they were inferred.
     */
    public static CompileResult check(SourceFile source) {
        Diagnostics d = new Diagnostics(source);
        CompileResult.Analysis analysis = Pipeline.checkAll(source, d);
        return new CompileResult(source, d.all(), null, analysis);
    }
}
