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
        for (String name : overrides.keySet()) {
            Unknown u = unknown(name, model);
            if (u != null) {
                d.error(Span.NONE, u.message(), u.hint());
            }
        }
        return model;
    }

    /** What {@code --set} and a sweep's grid may name for {@code model}: the training values, then its parameters. */
    public static List<String> settable(Ast.Network model) {
        List<String> names = new ArrayList<>(TrainOverrides.VALUES.keySet());
        model.params().forEach(p -> names.add(p.name()));
        return names;
    }

    /** Why {@code name} cannot be given to {@code model} from outside, with a hint; null when it can. */
    public static Unknown unknown(String name, Ast.Network model) {
        List<String> names = settable(model);
        if (names.contains(name)) {
            return null;
        }
        String hint = Suggest.didYouMean(name, names);
        return new Unknown("'" + name + "' is neither a parameter of " + model.name() + " nor a training value",
                hint != null ? hint : "settable: " + String.join(", ", names));
    }

    /** A name that is neither a parameter nor a training value: the message and its hint. */
    public record Unknown(String message, String hint) {
    }
}
