package nnc.compiler.pass;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import nnc.compiler.Limits;
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

    /**
     * Checks a sweep: the model exists, each axis names a model parameter or a training value
     * ({@link TrainOverrides#VALUES}) once, and each of its values is a number that the
     * setting or the model accepts (a training value by its type; a model parameter by
     * resolving the model with it, reported at the value).
     */
    @Override
    public Ast.SweepDecl run(Ast.SweepDecl s, Diagnostics d) {
        Ast.Network model = decls.networks().get(s.model());
        if (model == null || model.isBlock()) {
            d.error(s.modelSpan(), "unknown model '" + s.model() + "'",
                    Suggest.didYouMean(s.model(), decls.models().stream().map(Ast.Network::name).toList()));
            return null;
        }
        List<String> names = new ArrayList<>(TrainOverrides.VALUES.keySet());
        model.params().forEach(p -> names.add(p.name()));
        Set<String> seen = new HashSet<>();
        long runs = 1;
        for (Ast.Axis a : s.axes()) {
            if (runs <= Limits.MAX_SWEEP_RUNS) {
                runs = Math.min(runs * a.values().size(), Limits.MAX_SWEEP_RUNS + 1L);
                if (runs > Limits.MAX_SWEEP_RUNS) {
                    d.error(a.nameSpan(), "with '" + a.name() + "' the sweep has more than "
                            + Limits.count(Limits.MAX_SWEEP_RUNS) + " runs, the most one sweep trains",
                            "sweep fewer values");
                }
            }
            boolean known = names.contains(a.name());
            if (!known) {
                d.error(a.nameSpan(), "'" + a.name() + "' is neither a parameter of " + s.model() + " nor a training value",
                        ResolveTrain.hintOr(Suggest.didYouMean(a.name(), names), "sweepable: " + String.join(", ", names)));
            } else if (!seen.add(a.name())) {
                d.error(a.nameSpan(), "'" + a.name() + "' is swept twice");
            }
            Set<Double> values = new HashSet<>();
            for (Ast.Value v : a.values()) {
                Val x = Evaluate.eval(v, Env.EMPTY, d);
                if (x != null && !(x instanceof Val.Num)) {
                    d.error(x.span(), "sweep values must be numbers, got " + x.describe());
                } else if (x instanceof Val.Num n && !values.add(n.value())) {
                    d.error(x.span(), a.name() + " = " + x.describe() + " is swept twice", "each value is one run; "
                            + "give it once");
                } else if (x != null && known) {
                    checkValue(model, a.name(), x, d);
                }
            }
        }
        return s;
    }

    private void checkValue(Ast.Network model, String name, Val x, Diagnostics d) {
        if (TrainOverrides.VALUES.containsKey(name)) {
            TrainOverrides.check(name, x, x.span(), d);
            return;
        }
        Diagnostics inner = new Diagnostics(d.source());
        new ResolveNames(decls, Map.of(name, x)).run(model, inner);
        if (inner.hasErrors()) {
            d.error(x.span(), name + " = " + x.describe() + " does not work for " + model.name() + ": "
                    + inner.errors().get(0).message());
        }
    }
}
