package nnc.compiler.pass;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import nnc.compiler.diag.Diagnostics;
import nnc.compiler.diag.Span;
import nnc.compiler.diag.Suggest;
import nnc.compiler.ir.LossKind;
import nnc.compiler.layers.ArgSpec;
import nnc.compiler.layers.ArgType;
import nnc.compiler.layers.Args;
import nnc.compiler.layers.Binder;
import nnc.compiler.layers.Env;
import nnc.compiler.layers.Val;
import nnc.compiler.pass.TrainSpec.OptimizerSpec;
import nnc.compiler.syntax.Ast;
import nnc.runtime.train.EarlyStopping;
import nnc.runtime.train.LrSchedule;

/**
 * Pass: checks the settings of a {@code train} declaration, producing a {@link TrainSpec}.
 * Every setting, optimizer, schedule and stopping rule has a signature, bound and checked
 * like a layer's arguments ({@link Binder}); unknown ones get a did-you-mean. The data it
 * names is {@link ResolveData}'s, the model arguments {@link ResolveNames}'.
 */
public final class ResolveTrain implements Pass<Ast.TrainDecl, TrainSpec> {
    private final Map<String, Val> overrides;

    /** @param overrides training values that replace the file's ({@link TrainOverrides}); other names are ignored */
    public ResolveTrain(Map<String, Val> overrides) {
        this.overrides = overrides;
    }

    private static final Map<String, List<ArgSpec>> SETTINGS = new LinkedHashMap<>();

    static {
        SETTINGS.put("loss", List.of(ArgSpec.choice("kind", true, null, "cross_entropy", "binary_cross_entropy", "mse")));
        SETTINGS.put("optimizer", List.of(ArgSpec.required("optimizer", ArgType.ANY)));
        SETTINGS.put("batch", List.of(ArgSpec.required("size", ArgType.POSITIVE_INT),
                ArgSpec.choice("shuffle", true, "", "shuffle")));
        SETTINGS.put("shuffle", List.of(ArgSpec.positional("enabled", ArgType.BOOL, Boolean.TRUE)));
        SETTINGS.put("epochs", List.of(ArgSpec.required("count", ArgType.POSITIVE_INT)));
        SETTINGS.put("seed", List.of(ArgSpec.required("seed", ArgType.COUNT)));
        SETTINGS.put("validate", List.of(ArgSpec.choice("on", true, "", "test"),
                ArgSpec.named("split", ArgType.PROBABILITY, ArgSpec.OPTIONAL)));
        SETTINGS.put("schedule", List.of(ArgSpec.required("schedule", ArgType.ANY)));
        SETTINGS.put("stop", List.of(ArgSpec.required("rule", ArgType.ANY)));
    }

    private static final Map<String, List<ArgSpec>> OPTIMIZERS = Map.of(
            "sgd", List.of(ArgSpec.positional("lr", ArgType.POSITIVE, 0.01), ArgSpec.named("momentum", ArgType.FRACTION, 0.0),
                    ArgSpec.named("nesterov", ArgType.BOOL, false), ArgSpec.named("weight_decay", ArgType.FRACTION, 0.0)),
            "adam", adamSignature(0.0),
            "adamw", adamSignature(0.01));

    private static List<ArgSpec> adamSignature(double weightDecay) {
        return List.of(ArgSpec.positional("lr", ArgType.POSITIVE, 1e-3), ArgSpec.named("betas", ArgType.NUMBER_LIST, new double[] {0.9, 0.999}),
                ArgSpec.named("eps", ArgType.POSITIVE, 1e-8), ArgSpec.named("weight_decay", ArgType.FRACTION, weightDecay));
    }

    private static final Map<String, List<ArgSpec>> SCHEDULES = Map.of(
            "constant", List.of(),
            "step", List.of(ArgSpec.required("every", ArgType.POSITIVE_INT), ArgSpec.named("gamma", ArgType.POSITIVE, 0.1)),
            "cosine", List.of(ArgSpec.positional("epochs", ArgType.POSITIVE_INT, ArgSpec.OPTIONAL),
                    ArgSpec.named("min", ArgType.NUMBER, 0.0)),
            "reduce_on_plateau", List.of(ArgSpec.named("patience", ArgType.COUNT, 10),
                    ArgSpec.named("factor", ArgType.PROBABILITY, 0.1)));

    private static final List<ArgSpec> EARLY = List.of(
            ArgSpec.choice("monitor", false, "val_loss", "val_loss", "val_accuracy", "train_loss"),
            ArgSpec.named("patience", ArgType.POSITIVE_INT, 5),
            ArgSpec.named("min_delta", ArgType.NUMBER, 0.0));

    /** Checks the settings of a train declaration; null when any is wrong. */
    @Override
    public TrainSpec run(Ast.TrainDecl t, Diagnostics d) {
        int before = d.errorCount();
        Map<String, Args> given = new HashMap<>();
        Map<String, Span> seen = new HashMap<>();
        for (Ast.Setting s : t.settings()) {
            List<ArgSpec> specs = SETTINGS.get(s.key());
            if (specs == null) {
                d.error(s.keySpan(), "unknown training setting '" + s.key() + "'",
                        hintOr(Suggest.didYouMean(s.key(), SETTINGS.keySet()), "settings: " + String.join(", ", SETTINGS.keySet())));
                continue;
            }
            if (seen.containsKey(s.key())) {
                d.error(s.keySpan(), "'" + s.key() + "' is set twice (first at line " + d.source().line(seen.get(s.key()).start()) + ")");
                continue;
            }
            seen.put(s.key(), s.keySpan());
            Ast.Call asCall = new Ast.Call(s.key(), s.keySpan(), s.args(), true, s.span());
            Args a = Binder.bind(s.key(), asCall, specs, Env.EMPTY, d);
            if (a != null) {
                given.put(s.key(), a);
            }
        }
        if (!given.containsKey("loss") && !seen.containsKey("loss")) {
            d.error(t.model().nameSpan(), "train " + t.model().name() + " needs a loss",
                    "add a line: loss cross_entropy (or binary_cross_entropy, mse)");
        }
        LossKind loss = given.containsKey("loss") ? LossKind.of(given.get("loss").string("kind")) : null;
        OptimizerSpec opt = given.containsKey("optimizer")
                ? optimizer((Val) given.get("optimizer").get("optimizer"), d)
                : new OptimizerSpec(OptimizerSpec.Kind.ADAM, 1e-3f, 0, false, 0.9f, 0.999f, 1e-8f, 0);
        int batch = given.containsKey("batch") ? given.get("batch").integer("size") : 32;
        boolean shuffle = given.containsKey("batch") && "shuffle".equals(given.get("batch").string("shuffle"));
        if (given.containsKey("shuffle")) {
            shuffle = given.get("shuffle").bool("enabled");
        }
        int epochs = given.containsKey("epochs") ? given.get("epochs").integer("count") : 10;
        long seed = given.containsKey("seed") ? given.get("seed").integer("seed") : 0;
        double split = 0;
        if (given.containsKey("validate")) {
            Args v = given.get("validate");
            if (v.has("split")) {
                split = v.number("split");
                if (split <= 0) {
                    d.error(v.span("split"), "validate: 'split' must be > 0",
                            "leave 'validate' out to train without a validation set");
                }
            } else if ("test".equals(v.string("on"))) {
                d.error(v.span("on"), "the test set cannot be the validation set: it is evaluated once, after training,"
                        + " so that it still measures something", "validate split: 0.1 holds out a tenth of the "
                        + "training data to watch every epoch");
            } else {
                d.error(v.callSpan(), "validate needs 'split: fraction'", "validate split: 0.1");
            }
        }
        LrSchedule schedule = given.containsKey("schedule")
                ? schedule((Val) given.get("schedule").get("schedule"), epochs, d) : new LrSchedule.Constant();
        EarlyStopping stop = given.containsKey("stop") ? stop((Val) given.get("stop").get("rule"), d) : null;
        honestValidation(given, split, schedule, stop, loss, d);
        if (d.errorCount() > before || loss == null || opt == null || schedule == null
                || (given.containsKey("stop") && stop == null)) {
            return null;
        }
        Span lossSpan = given.get("loss").span("kind");
        Span optimizerSpan = given.containsKey("optimizer") ? given.get("optimizer").span("optimizer") : t.span();
        return TrainOverrides.apply(new TrainSpec(loss, lossSpan, opt, optimizerSpan, batch, shuffle, epochs, seed, split,
                schedule, stop, t.data(), t.dataSpan(), t.span()), overrides, d);
    }

    /**
     * Model selection must not see the test set: early stopping on a validation metric and a
     * plateau schedule need {@code validate split:}. Accuracy needs a loss with classes.
     */
    private static void honestValidation(Map<String, Args> given, double split, LrSchedule schedule,
                                         EarlyStopping stop, LossKind loss, Diagnostics d) {
        String hint = "add 'validate split: 0.1' to hold out a tenth of the training data for it";
        if (stop != null && stop.monitor().startsWith("val_") && split <= 0) {
            d.error(given.get("stop").span("rule"), "early stopping on " + stop.monitor()
                    + " needs a validation set; without one it would choose the epoch by the test set", hint);
        }
        if (schedule instanceof LrSchedule.ReduceOnPlateau && split <= 0) {
            d.error(given.get("schedule").span("schedule"), "reduce_on_plateau watches the validation loss, and there"
                    + " is no validation set; without one it would follow the test set", hint);
        }
        if (stop != null && stop.monitor().endsWith("accuracy") && loss == LossKind.MSE) {
            d.error(given.get("stop").span("rule"), "early stopping on " + stop.monitor()
                    + " needs classes, but mse has no accuracy", "monitor val_loss instead");
        }
    }

    static String hintOr(String a, String b) {
        return a != null ? a : b;
    }

    private static Val.CallVal asCall(Val v) {
        if (v instanceof Val.CallVal c) {
            return c;
        }
        if (v instanceof Val.Name n) {
            return new Val.CallVal(n.value(), n.span(), List.of(), Map.of(), n.span());
        }
        return null;
    }

    static OptimizerSpec optimizer(Val v, Diagnostics d) {
        Val.CallVal c = asCall(v);
        if (c == null || !OPTIMIZERS.containsKey(c.name())) {
            String name = c == null ? v.describe() : c.name();
            d.error(c == null ? v.span() : c.nameSpan(), "unknown optimizer '" + name + "'",
                    hintOr(Suggest.didYouMean(name, OPTIMIZERS.keySet()), "optimizers: sgd, adam, adamw"));
            return null;
        }
        Args a = Binder.bind(c.name(), c, OPTIMIZERS.get(c.name()), d);
        if (a == null) {
            return null;
        }
        float lr = (float) a.number("lr");
        float wd = (float) a.number("weight_decay");
        if (c.name().equals("sgd")) {
            if (a.bool("nesterov") && a.number("momentum") == 0) {
                d.error(a.span("nesterov"), "sgd: nesterov needs momentum (it is 0)", "add momentum: 0.9");
                return null;
            }
            return new OptimizerSpec(OptimizerSpec.Kind.SGD, lr, (float) a.number("momentum"), a.bool("nesterov"),
                    0, 0, 0, wd);
        }
        double[] betas = (double[]) a.get("betas");
        if (betas.length != 2 || betas[0] < 0 || betas[0] >= 1 || betas[1] < 0 || betas[1] >= 1) {
            d.error(a.span("betas"), c.name() + ": 'betas' must be two numbers in [0, 1), e.g. [0.9, 0.999]");
            return null;
        }
        OptimizerSpec.Kind kind = c.name().equals("adamw") ? OptimizerSpec.Kind.ADAMW : OptimizerSpec.Kind.ADAM;
        return new OptimizerSpec(kind, lr, 0, false, (float) betas[0], (float) betas[1], (float) a.number("eps"), wd);
    }

    static LrSchedule schedule(Val v, int epochs, Diagnostics d) {
        Val.CallVal c = asCall(v);
        if (c == null || !SCHEDULES.containsKey(c.name())) {
            String name = c == null ? v.describe() : c.name();
            d.error(c == null ? v.span() : c.nameSpan(), "unknown schedule '" + name + "'",
                    hintOr(Suggest.didYouMean(name, SCHEDULES.keySet()), "schedules: " + String.join(", ", SCHEDULES.keySet())));
            return null;
        }
        Args a = Binder.bind(c.name(), c, SCHEDULES.get(c.name()), d);
        if (a == null) {
            return null;
        }
        return switch (c.name()) {
            case "step" -> new LrSchedule.Step(a.integer("every"), (float) a.number("gamma"));
            case "cosine" -> new LrSchedule.Cosine(a.has("epochs") ? a.integer("epochs") : 0, (float) a.number("min"));
            case "reduce_on_plateau" -> new LrSchedule.ReduceOnPlateau(a.integer("patience"), (float) a.number("factor"));
            default -> new LrSchedule.Constant();
        };
    }

    static EarlyStopping stop(Val v, Diagnostics d) {
        Val.CallVal c = asCall(v);
        if (c == null || !c.name().equals("early")) {
            d.error(v.span(), "unknown stopping rule '" + (c == null ? v.describe() : c.name()) + "'",
                    "write stop early(monitor: val_loss, patience: 5)");
            return null;
        }
        Args a = Binder.bind("early", c, EARLY, d);
        if (a == null) {
            return null;
        }
        return new EarlyStopping(a.string("monitor"), a.integer("patience"), a.number("min_delta"));
    }
}
