package nnc.compiler.pass;

import java.util.LinkedHashMap;
import java.util.Map;
import nnc.compiler.diag.Diagnostics;
import nnc.compiler.diag.Span;
import nnc.compiler.layers.ArgType;
import nnc.compiler.layers.Binder;
import nnc.compiler.layers.Val;
import nnc.compiler.pass.TrainSpec.OptimizerSpec;

/**
 * The training values that {@code --set} and sweeps may replace, each checked with the type
 * its setting has in a .nn file. Model parameters are replaced by {@link ResolveNames}.
 */
public final class TrainOverrides {
    private TrainOverrides() {
    }

    /** The values, with their types, in the order help texts list them. */
    public static final Map<String, ArgType> VALUES = values();

    private static Map<String, ArgType> values() {
        Map<String, ArgType> m = new LinkedHashMap<>();
        m.put("lr", ArgType.POSITIVE);
        m.put("batch", ArgType.POSITIVE_INT);
        m.put("epochs", ArgType.POSITIVE_INT);
        m.put("weight_decay", ArgType.FRACTION);
        m.put("momentum", ArgType.FRACTION);
        m.put("seed", ArgType.COUNT);
        return m;
    }

    /**
     * The value {@code name} takes from {@code v} (a Double or Integer), or null after
     * reporting at {@code at} why it cannot.
     */
    public static Object check(String name, Val v, Span at, Diagnostics d) {
        ArgType type = VALUES.get(name);
        Object x = type == null ? null : Binder.tryConvert(type, java.util.List.of(), v);
        if (x == null && type != null) {
            d.error(at, "'" + name + "' must be " + type.description() + ", got " + v.describe());
        }
        return x;
    }

    /** {@code t} with the training values of {@code overrides} (other names are ignored). */
    static TrainSpec apply(TrainSpec t, Map<String, Val> overrides, Diagnostics d) {
        OptimizerSpec o = t.optimizer();
        float lr = o.lr();
        float wd = o.weightDecay();
        float momentum = o.momentum();
        int batch = t.batch();
        int epochs = t.epochs();
        long seed = t.seed();
        boolean ok = true;
        for (Map.Entry<String, Val> e : overrides.entrySet()) {
            if (!VALUES.containsKey(e.getKey())) {
                continue;
            }
            Object x = check(e.getKey(), e.getValue(), Span.NONE, d);
            if (x == null) {
                ok = false;
                continue;
            }
            double v = ((Number) x).doubleValue();
            switch (e.getKey()) {
                case "lr" -> lr = (float) v;
                case "batch" -> batch = (int) v;
                case "epochs" -> epochs = (int) v;
                case "weight_decay" -> wd = (float) v;
                case "momentum" -> {
                    if (o.kind() != OptimizerSpec.Kind.SGD) {
                        d.error(Span.NONE, "'momentum' is an sgd setting, but the optimizer is "
                                + o.kind().name().toLowerCase(), "set beta1 through the optimizer's betas instead");
                        ok = false;
                    }
                    momentum = (float) v;
                }
                default -> seed = (long) v;
            }
        }
        if (!ok) {
            return null;
        }
        OptimizerSpec opt = new OptimizerSpec(o.kind(), lr, momentum, o.nesterov(), o.beta1(), o.beta2(), o.eps(), wd);
        return new TrainSpec(t.loss(), t.lossSpan(), opt, t.optimizerSpan(), batch, t.shuffle(), epochs, seed,
                t.validationSplit(), t.schedule(), t.stop(), t.data(), t.dataSpan(), t.span());
    }
}
