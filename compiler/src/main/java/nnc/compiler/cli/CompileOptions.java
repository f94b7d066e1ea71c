package nnc.compiler.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import nnc.compiler.Compilation;
import nnc.compiler.NncCompiler;
import nnc.compiler.diag.Span;
import nnc.compiler.layers.Val;
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
            if (out.put(name, value(value)) != null) {
                throw new ParameterException(spec.commandLine(), "--set " + name + " is given twice");
            }
        }
        return out;
    }

    private Val value(String text) {
        Val v = parse(text);
        if (v == null) {
            throw new ParameterException(spec.commandLine(), "--set: '" + text + "' is not a number or a name");
        }
        return v;
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
