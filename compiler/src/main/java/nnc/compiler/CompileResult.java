package nnc.compiler;

import java.lang.reflect.InvocationTargetException;
import java.util.List;
import nnc.compiler.codegen.GeneratedJava;
import nnc.compiler.diag.Diagnostic;
import nnc.compiler.diag.DiagnosticPrinter;
import nnc.compiler.diag.SourceFile;
import nnc.compiler.ir.Network;
import nnc.compiler.layers.LayerGraph;
import nnc.compiler.syntax.Ast;
import nnc.runtime.model.CompiledModel;

/**
 * What {@link NncCompiler} produced: the diagnostics, and when there were no errors the
 * compilation (every stage's IR), the generated Java source and the loaded class, as far as
 * the requested goal went.
 */
public final class CompileResult {
    private final SourceFile source;
    private final List<Diagnostic> diagnostics;
    private final Pipeline.Output output;
    private final Analysis analysis;

    CompileResult(SourceFile source, List<Diagnostic> diagnostics, Pipeline.Output output, Analysis analysis) {
        this.source = source;
        this.diagnostics = List.copyOf(diagnostics);
        this.output = output;
        this.analysis = analysis;
    }

    /**
     * What {@link NncCompiler#check} learned besides the diagnostics, errors or not, for
     * editors: null from {@code compile}, and when the text does not parse.
     */
    public Analysis analysis() {
        return analysis;
    }

    /**
     * The syntax tree of a file that parses, and each model's layers and shapes as far as they
     * were inferred (in declaration order).
     */
    public record Analysis(Ast.Program ast, List<ModelShapes> models) {
        public Analysis {
            models = List.copyOf(models);
        }
    }

    /**
     * One model as far as it was analysed. On errors both graphs are partial: the layers that
     * resolved, the shapes that were inferred (a failed layer and what uses it are absent), and
     * an output of -1 when the model's output failed.
     */
    public record ModelShapes(Ast.Network model, LayerGraph layers, Network network) {
    }

    public SourceFile source() {
        return source;
    }

    /** Every error and warning, sorted by position. */
    public List<Diagnostic> diagnostics() {
        return diagnostics;
    }

    public List<Diagnostic> errors() {
        return diagnostics.stream().filter(d -> d.severity() == Diagnostic.Severity.ERROR).toList();
    }

    /** True when there is no error (warnings are allowed). */
    public boolean ok() {
        return errors().isEmpty();
    }

    /** The diagnostics as the command line prints them: {@code file:line:col: error: ...}, the line and a caret. */
    public String render() {
        return DiagnosticPrinter.render(source, diagnostics);
    }

    /** Every stage's IR; null when there were errors or for {@link NncCompiler#check}. */
    public Compilation compilation() {
        return output == null ? null : output.compilation();
    }

    /** The compilation; an {@link IllegalStateException} when there were errors. */
    public Compilation requireCompilation() {
        requireOk();
        return output.compilation();
    }

    /** The model's name (the generated class's simple name). */
    public String modelName() {
        return requireCompilation().modelName();
    }

    /** The fully qualified name of the generated class. */
    public String className() {
        requireOk();
        return output.java().className();
    }

    /** The generated Java source; needs goal {@link NncCompiler.Goal#SOURCE} or later. */
    public GeneratedJava java() {
        requireOk();
        if (output.java() == null) {
            throw new IllegalStateException("the Java source was not generated: compile with goal SOURCE or CLASS");
        }
        return output.java();
    }

    /** The loaded model class; needs goal {@link NncCompiler.Goal#CLASS}. */
    public Class<? extends CompiledModel> modelClass() {
        requireOk();
        if (output.modelClass() == null) {
            throw new IllegalStateException("the model class was not loaded: compile with goal CLASS");
        }
        return output.modelClass();
    }

    /**
     * The class files of the model class and its nested classes, by binary name; needs goal
     * {@link NncCompiler.Goal#CLASS}. For packaging the compiled model ({@code nnc build}).
     */
    public java.util.Map<String, byte[]> classFiles() {
        return nnc.compiler.codegen.InProcessCompiler.classFiles(modelClass());
    }

    /** A new instance of the model class, with zeroed parameters ({@code initialize} or {@code load} next). */
    public CompiledModel newModel() {
        Class<? extends CompiledModel> cls = modelClass();
        try {
            return cls.getDeclaredConstructor().newInstance();
        } catch (InstantiationException | IllegalAccessException | NoSuchMethodException e) {
            throw new IllegalStateException("internal error: cannot instantiate " + cls.getName() + ": " + e, e);
        } catch (InvocationTargetException e) {
            throw new IllegalStateException("internal error: constructing " + cls.getName() + " failed: "
                    + e.getCause(), e.getCause());
        }
    }

    private void requireOk() {
        if (output == null) {
            throw new IllegalStateException(ok() ? "this result is from check(), which compiles nothing"
                    : "the source has errors:\n" + render());
        }
    }
}
