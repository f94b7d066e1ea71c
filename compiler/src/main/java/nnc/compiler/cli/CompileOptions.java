package nnc.compiler.cli;

import java.io.PrintStream;
import nnc.compiler.Compilation;
import nnc.compiler.NncCompiler;
import picocli.CommandLine.Option;

/** Options every compiling command takes. */
final class CompileOptions {
    @Option(names = "--model", paramLabel = "NAME", description = "The model to use (default: the trained one, else the last).")
    String model;

    @Option(names = "--no-fuse", description = "Run every op as its own kernel (no operator fusion).")
    boolean noFuse;

    @Option(names = "--dump", paramLabel = "STAGE", split = ",",
            description = "Print the IR after a pass: ast, ir (typed graph), train (differentiated), fused, plan.")
    java.util.List<String> dump = new java.util.ArrayList<>();

    /** The compiler options these flags ask for, up to a loaded class. */
    NncCompiler.Options compiler() {
        return NncCompiler.Options.defaults().model(model).fuse(!noFuse);
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
