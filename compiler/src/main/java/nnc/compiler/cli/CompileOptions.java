package nnc.compiler.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import nnc.compiler.Compilation;
import nnc.compiler.NncCompiler;
import nnc.compiler.diag.Diagnostics;
import nnc.compiler.diag.SourceFile;
import nnc.compiler.diag.Span;
import nnc.compiler.layers.ArgType;
import nnc.compiler.layers.Val;
import nnc.compiler.pass.CheckOverrides;
import nnc.compiler.pass.Declarations;
import nnc.compiler.pass.SelectModel;
import nnc.compiler.pass.TrainOverrides;
import nnc.compiler.syntax.Ast;
import nnc.compiler.syntax.Parse;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** Options every compiling command takes. */
final class CompileOptions {
    @Option(names = "--model", paramLabel = "NAME", description = "The model to use (default: the trained one, else the last).")
    String model;

    @Option(names = "--no-fuse", description = "Run every op as its own kernel (no operator fusion).")
    boolean noFuse;

    @Option(names = "--dump", paramLabel = "STAGES", split = ",", hideParamSyntax = true,
            description = "Print the IR after passes, comma separated: ast, ir (typed graph), train (differentiated), "
                + "fused, plan.")
    List<String> dump = new ArrayList<>();

    @Option(names = "--set", paramLabel = "NAME=VALUE",
            description = "Replace a model parameter or a training value (lr, batch, epochs, weight_decay, momentum, "
                + "seed), checked like the file; repeatable.")
    List<String> set = new ArrayList<>();

    @picocli.CommandLine.Spec(picocli.CommandLine.Spec.Target.MIXEE)
    picocli.CommandLine.Model.CommandSpec spec;

    /** The compiler options these flags ask for, up to a loaded class. */
    NncCompiler.Options compiler() {
        return NncCompiler.Options.defaults().model(model).fuse(!noFuse).overrides(overrides());
    }

    /**
     * Reads {@code file} once, checks its model has every {@code --set} name (see
     * {@link #knownNames}), and compiles it with these options as {@code more} adjusts them.
     */
    nnc.compiler.CompileResult compile(Path file, java.util.function.UnaryOperator<NncCompiler.Options> more,
                                       PrintStream err) {
        SourceFile source = Frontend.read(file);
        return Frontend.compile(source, more.apply(compiler(source)), err);
    }

    /** {@link #compiler()} for {@code source}, whose model must have every {@code --set} name. */
    NncCompiler.Options compiler(SourceFile source) {
        NncCompiler.Options o = compiler();
        knownNames(source, o.overrides().keySet());
        return o;
    }

    /**
     * A {@code --set} name that is neither a parameter of the model nor a training value is a
     * mistake in the command line (exit 2), as an unknown {@code --grid} name or option is; the
     * file's own mistakes are left to the compiler, which reports them with their place.
     */
    private void knownNames(SourceFile source, java.util.Set<String> given) {
        if (given.isEmpty()) {
            return;
        }
        Diagnostics d = new Diagnostics(source);
        Ast.Program ast = Parse.run(source, d);
        Declarations decls = ast == null ? null : Declarations.collect(ast, d);
        Ast.Network m = decls == null || d.errorCount() > 0 ? null : new SelectModel(model).run(decls, d);
        if (m == null) {
            return;
        }
        for (String name : given) {
            CheckOverrides.Unknown u = CheckOverrides.unknown(name, m);
            if (u != null) {
                throw new ParameterException(spec.commandLine(), "--set " + name + ": " + u.message() + " (" + u.hint()
                        + ")");
            }
        }
    }

    /** {@code --set} values: numbers, or bare names for parameters that take one. */
    Map<String, Val> overrides() {
        Map<String, Val> out = new LinkedHashMap<>();
        for (String s : set) {
            int eq = s.indexOf('=');
            String name = eq < 0 ? "" : s.substring(0, eq).strip();
            String value = eq < 0 ? "" : s.substring(eq + 1).strip();
            if (!name.matches("[A-Za-z_][A-Za-z0-9_]*") || value.isEmpty()) {
                throw new ParameterException(spec.commandLine(),
                        "--set takes NAME=VALUE (e.g. --set lr=0.01), got '" + s + "'");
            }
            if (out.put(name, value(name, value)) != null) {
                throw new ParameterException(spec.commandLine(), "--set " + name + " is given twice");
            }
        }
        return out;
    }

    private Val value(String name, String text) {
        Val v = parse(text);
        if (v == null) {
            throw new ParameterException(spec.commandLine(), "--set: '" + text + "' is not a number or a name");
        }
        String problem = problem(name, v);
        if (problem != null) {
            throw new ParameterException(spec.commandLine(), "--set " + name + "=" + text + ": " + problem);
        }
        return v;
    }

    /** Why {@code v} (a number or a bare name) cannot be what {@code name} holds at all, or null: --set's and --grid's rule. */
    static String problem(String name, Val v) {
        return v instanceof Val.Num n ? outOfRange(name, n) : v instanceof Val.Name ? notANumber(name) : null;
    }

    /**
     * Why a number cannot be what {@code name} holds at all (the value as written is shown by the
     * caller), or null: a whole training value (batch, epochs, seed) is an int, and every other
     * value ends up a float. Values that fit but are wrong (lr=-1) are the compiler's to report,
     * as in the file.
     */
    static String outOfRange(String name, Val.Num n) {
        double v = n.value();
        ArgType type = TrainOverrides.VALUES.get(name);
        if (type == ArgType.POSITIVE_INT || type == ArgType.COUNT) {
            long min = type == ArgType.COUNT ? 0 : 1;
            return v == Math.rint(v) && Math.abs(v) > Integer.MAX_VALUE
                    ? "out of range: '" + name + "' is a whole number from " + min + " to " + Integer.MAX_VALUE : null;
        }
        if (Math.abs(v) > Float.MAX_VALUE) {
            return "too large for a float (at most about 3.4e38)";
        }
        return v != 0 && (float) v == 0 ? "too small for a float (it would be 0)" : null;
    }

    /**
     * Why a bare name cannot be what {@code name} holds, or null: every training value is a
     * number; a model parameter may take a name, which the compiler checks where it is used.
     */
    static String notANumber(String name) {
        ArgType type = TrainOverrides.VALUES.get(name);
        return type == null ? null : "'" + name + "' must be " + type.description();
    }

    /** A value as {@code --set} and {@code --grid} take it: a finite number or a bare name; null otherwise. */
    static Val parse(String text) {
        Span none = Span.NONE;
        if (text.matches("[A-Za-z_][A-Za-z0-9_]*")) {
            return new Val.Name(text, none);
        }
        try {
            double v = Double.parseDouble(text);
            if (Double.isFinite(v) && !text.matches(".*[a-zA-Z&&[^eE]].*")) {
                return new Val.Num(v, v == Math.rint(v) && !text.matches(".*[.eE].*"), none);
            }
        } catch (NumberFormatException e) {
            // not a number
        }
        return null;
    }

    void dumps(Compilation c, PrintStream out) {
        for (String stage : dump) {
            switch (stage) {
                case "ast" -> out.println(c.ast());
                case "ir" -> out.print(c.network().graph().dump());
                case "train" -> {
                    if (c.trainGraph() != null) {
                        out.print(c.trainGraph().dump());
                    }
                }
                case "fused" -> {
                    if (c.trainPlan() != null) {
                        out.print(c.trainPlan().schedule().dump());
                    }
                    out.print(c.inferPlan().schedule().dump());
                }
                case "plan" -> {
                    if (c.trainPlan() != null) {
                        out.print(c.trainPlan().dump());
                    }
                    out.print(c.inferPlan().dump());
                }
                default -> throw new UserError("nnc: unknown --dump stage '" + stage
                        + "' (stages: ast, ir, train, fused, plan)");
            }
        }
    }
}
