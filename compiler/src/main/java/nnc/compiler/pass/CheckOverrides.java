package nnc.compiler.pass;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import nnc.compiler.diag.Diagnostics;
import nnc.compiler.diag.Span;
import nnc.compiler.diag.Suggest;
import nnc.compiler.layers.Val;
import nnc.compiler.syntax.Ast;

/**
 * Pass: every value given from outside the file ({@code --set name=value}, a sweep's grid)
 * names a parameter of the model or a training value ({@link TrainOverrides}).
 */
public final class CheckOverrides implements Pass<Ast.Network, Ast.Network> {
    private final Map<String, Val> overrides;

    public CheckOverrides(Map<String, Val> overrides) {
        this.overrides = overrides;
    }

    @Override
    public Ast.Network run(Ast.Network model, Diagnostics d) {
        List<String> names = new ArrayList<>(TrainOverrides.VALUES.keySet());
        model.params().forEach(p -> names.add(p.name()));
        for (String name : overrides.keySet()) {
            if (!names.contains(name)) {
                String hint = Suggest.didYouMean(name, names);
                d.error(Span.NONE, "'" + name + "' is neither a parameter of " + model.name()
                        + " nor a training value", hint != null ? hint : "settable: " + String.join(", ", names));
            }
        }
        return model;
    }
}
