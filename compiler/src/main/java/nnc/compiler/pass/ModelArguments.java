package nnc.compiler.pass;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import nnc.compiler.diag.Diagnostics;
import nnc.compiler.diag.Suggest;
import nnc.compiler.layers.Env;
import nnc.compiler.layers.Evaluate;
import nnc.compiler.layers.Val;
import nnc.compiler.syntax.Ast;

/** The values a {@code train} declaration gives the model's parameters: {@code train M(p: 0.5) on d}. */
final class ModelArguments {
    private ModelArguments() {
    }

    /** The model arguments of {@code train Model(p: 0.5) on ...}, by parameter name. */
    static Map<String, Val> of(Ast.TrainDecl t, Ast.Network model, Diagnostics d) {
        Map<String, Val> out = new LinkedHashMap<>();
        if (t == null) {
            return out;
        }
        List<Ast.Arg> args = t.model().args();
        for (int i = 0; i < args.size(); i++) {
            Ast.Arg a = args.get(i);
            String name = a.name();
            if (name == null) {
                if (i >= model.params().size()) {
                    d.error(a.span(), model.name() + " takes " + model.params().size() + " parameters, got " + args.size());
                    continue;
                }
                name = model.params().get(i).name();
            } else if (model.params().stream().noneMatch(p -> p.name().equals(a.name()))) {
                d.error(a.nameSpan(), model.name() + " has no parameter '" + name + "'",
                        Suggest.didYouMean(name, model.params().stream().map(Ast.Param::name).toList()));
                continue;
            }
            Val v = Evaluate.eval(a.value(), Env.EMPTY, d);
            if (v != null) {
                out.put(name, v);
            }
        }
        return out;
    }
}
