package nnc.compiler.pass;

import java.util.List;
import nnc.compiler.diag.Diagnostics;
import nnc.compiler.diag.Suggest;
import nnc.compiler.layers.Env;
import nnc.compiler.layers.Evaluate;
import nnc.compiler.layers.Val;
import nnc.compiler.syntax.Ast;

/** Pass: checks a {@code sweep} declaration against the model it varies. */
public final class CheckSweep implements Pass<Ast.SweepDecl, Ast.SweepDecl> {
    private final Declarations decls;

    public CheckSweep(Declarations decls) {
        this.decls = decls;
    }

    /** Training values a sweep may vary, besides the model's parameters. */
    public static final List<String> SWEEPABLE = List.of("lr", "batch", "epochs", "weight_decay", "momentum", "seed");

    /**
     * Checks a sweep: the model exists, each axis names a model parameter or a training value
     * ({@link #SWEEPABLE}) once, and its values are numbers.
     */
    @Override
    public Ast.SweepDecl run(Ast.SweepDecl s, Diagnostics d) {
        Ast.Network model = decls.networks().get(s.model());
        if (model == null || model.isBlock()) {
            d.error(s.modelSpan(), "unknown model '" + s.model() + "'",
                    Suggest.didYouMean(s.model(), decls.models().stream().map(Ast.Network::name).toList()));
            return null;
        }
        List<String> names = new java.util.ArrayList<>(SWEEPABLE);
        model.params().forEach(p -> names.add(p.name()));
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (Ast.Axis a : s.axes()) {
            if (!names.contains(a.name())) {
                d.error(a.nameSpan(), "'" + a.name() + "' is neither a parameter of " + s.model() + " nor a training value",
                        ResolveTrain.hintOr(Suggest.didYouMean(a.name(), names), "sweepable: " + String.join(", ", names)));
            } else if (!seen.add(a.name())) {
                d.error(a.nameSpan(), "'" + a.name() + "' is swept twice");
            }
            for (Ast.Value v : a.values()) {
                Val x = Evaluate.eval(v, Env.EMPTY, d);
                if (x != null && !(x instanceof Val.Num)) {
                    d.error(x.span(), "sweep values must be numbers, got " + x.describe());
                }
            }
        }
        return s;
    }
}
