package nnc.compiler.pass;

import java.util.List;
import java.util.Map;
import nnc.compiler.diag.Diagnostics;
import nnc.compiler.diag.Suggest;
import nnc.compiler.layers.ArgSpec;
import nnc.compiler.layers.ArgType;
import nnc.compiler.layers.Args;
import nnc.compiler.layers.Binder;
import nnc.compiler.layers.Env;
import nnc.compiler.syntax.Ast;

/**
 * Pass: checks the {@code data} declaration a training names, producing a {@link DataSpec}:
 * its source ({@code idx}, {@code cifar}, {@code csv}) and its transforms, each bound to a
 * signature like a layer's arguments.
 */
public final class ResolveData implements Pass<Ast.TrainDecl, DataSpec> {
    private final Declarations decls;

    public ResolveData(Declarations decls) {
        this.decls = decls;
    }

    private static final Map<String, List<ArgSpec>> SOURCES = Map.of(
            "idx", List.of(ArgSpec.required("dataset", ArgType.NAME_OR_STRING)),
            "cifar", List.of(ArgSpec.required("dataset", ArgType.NAME_OR_STRING)),
            "csv", List.of(ArgSpec.required("path", ArgType.STRING), ArgSpec.named("targets", ArgType.POSITIVE_INT, 1),
                    ArgSpec.named("test", ArgType.PROBABILITY, 0.2)));

    private static final Map<String, List<ArgSpec>> TRANSFORMS = Map.of(
            "normalize", List.of(ArgSpec.named("mean", ArgType.NUMBER_OR_LIST, null),
                    ArgSpec.named("std", ArgType.NUMBER_OR_LIST, null)),
            "random_crop", List.of(ArgSpec.named("pad", ArgType.POSITIVE_INT, 4)),
            "hflip", List.of());

    /** Checks the data a train declaration names; null when it is unknown or wrong. */
    @Override
    public DataSpec run(Ast.TrainDecl t, Diagnostics d) {
        Ast.DataDecl decl = decls.data().get(t.data());
        if (decl == null) {
            d.error(t.dataSpan(), "unknown data '" + t.data() + "'",
                    decls.data().isEmpty() ? "declare it: data " + t.data() + " = idx(\"mnist\")"
                            : Suggest.didYouMean(t.data(), decls.data().keySet()));
            return null;
        }
        return check(decl, d);
    }

    /** Checks a data declaration; null when it is wrong. */
    public static DataSpec check(Ast.DataDecl decl, Diagnostics d) {
        int before = d.errorCount();
        Ast.Call src = decl.source();
        List<ArgSpec> specs = SOURCES.get(src.name());
        DataSpec.Source source = null;
        if (specs == null) {
            d.error(src.nameSpan(), "unknown data source '" + src.name() + "'",
                    ResolveTrain.hintOr(Suggest.didYouMean(src.name(), SOURCES.keySet()), "sources: idx(\"mnist\"), cifar(\"cifar10\"), csv(\"file.csv\")"));
        } else {
            Args a = Binder.bind(src.name(), src, specs, Env.EMPTY, d);
            if (a != null) {
                source = switch (src.name()) {
                    case "idx" -> new DataSpec.Idx(a.string("dataset"), src.span());
                    case "cifar" -> new DataSpec.Cifar(a.string("dataset"), src.span());
                    default -> new DataSpec.Csv(a.string("path"), a.integer("targets"), a.number("test"), src.span());
                };
            }
        }
        float[] mean = null;
        float[] std = null;
        nnc.compiler.diag.Span normalizeSpan = nnc.compiler.diag.Span.NONE;
        int crop = 0;
        boolean flip = false;
        for (Ast.Call t : decl.transforms()) {
            List<ArgSpec> ts = TRANSFORMS.get(t.name());
            if (ts == null) {
                d.error(t.nameSpan(), "unknown transform '" + t.name() + "'",
                        ResolveTrain.hintOr(Suggest.didYouMean(t.name(), TRANSFORMS.keySet()), "transforms: normalize, random_crop, hflip"));
                continue;
            }
            Args a = Binder.bind(t.name(), t, ts, Env.EMPTY, d);
            if (a == null) {
                continue;
            }
            if (!t.name().equals("normalize") && src.name().equals("csv")) {
                d.error(t.span(), t.name() + " transforms images, but csv data is rows of numbers",
                        "remove it, or use image data (idx, cifar)");
                continue;
            }
            switch (t.name()) {
                case "normalize" -> {
                    mean = floats((double[]) a.get("mean"));
                    std = floats((double[]) a.get("std"));
                    normalizeSpan = t.span();
                    checkNormalize(a, mean, std, d);
                }
                case "random_crop" -> crop = a.integer("pad");
                default -> flip = true;
            }
        }
        if (d.errorCount() > before || source == null) {
            return null;
        }
        return new DataSpec(decl.name(), source, mean, std, normalizeSpan, crop, flip, decl.span());
    }

    private static String number(float v) {
        return v == Math.rint(v) && Math.abs(v) < 1e9 ? String.valueOf((long) v)
                : String.valueOf(v).replace(".0E", "e").replace("E", "e");
    }

    private static float[] floats(double[] v) {
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            f[i] = (float) v[i];
        }
        return f;
    }

    /**
     * Means and deviations pair up, every deviation is a positive number, and the scale 1 / std and
     * shift -mean / std that normalising applies ({@code Dataset.normalized}) are finite floats.
     */
    private static void checkNormalize(Args a, float[] mean, float[] std, Diagnostics d) {
        if (mean.length != std.length && mean.length != 1 && std.length != 1) {
            d.error(a.span("std"), "normalize: " + mean.length + " means but " + std.length + " deviations",
                    "give one of each per channel, or one number for all channels");
        }
        for (float s : std) {
            if (!(s > 0) || !Float.isFinite(s)) {
                d.error(a.span("std"), "normalize: 'std' must be numbers > 0, got " + number(s));
                return;
            }
        }
        for (float m : mean) {
            if (!Float.isFinite(m)) {
                d.error(a.span("mean"), "normalize: 'mean' must be finite numbers, got " + number(m));
                return;
            }
        }
        for (int c = 0; c < Math.max(mean.length, std.length); c++) {
            float m = mean[mean.length == 1 ? 0 : Math.min(c, mean.length - 1)];
            float s = std[std.length == 1 ? 0 : Math.min(c, std.length - 1)];
            if (!Float.isFinite(1f / s)) {
                d.error(a.span("std"), "normalize: 'std' has " + number(s) + ", too small: dividing by it overflows"
                        + " a float (at least about 3e-39)");
                return;
            }
            if (!Float.isFinite((0f - m) / s)) {
                d.error(a.span("std"), "normalize: mean " + number(m) + " divided by std " + number(s)
                        + " overflows a float (at most about 3.4e38)");
                return;
            }
        }
    }
}
