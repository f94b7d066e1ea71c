package nnc.compiler.layers;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import nnc.compiler.Limits;
import nnc.compiler.diag.Diagnostics;
import nnc.compiler.diag.Span;
import nnc.compiler.diag.Suggest;
import nnc.compiler.syntax.Ast;

/**
 * Turns written arguments into checked values: evaluates them ({@link Evaluate}), matches
 * positional and named arguments to a signature, fills defaults and checks each type. Every mistake becomes a diagnostic at the argument's span;
 * a call with mistakes binds to null.
 */
public final class Binder {
    /** Why a number is not a float: the ends of {@code 'weight' has 1e39, too large for a float ...}. */
    static final String TOO_LARGE = "too large for a float (at most about 3.4e38)";
    static final String TOO_SMALL = "too small for a float (it would be 0)";

    private Binder() {
    }

    /** Evaluates and binds the arguments of a written call. */
    public static Args bind(String callee, Ast.Call call, List<ArgSpec> specs, Env env, Diagnostics d) {
        List<Val> positional = new ArrayList<>();
        Map<String, Val> named = new LinkedHashMap<>();
        Map<String, Span> nameSpans = new LinkedHashMap<>();
        boolean ok = true;
        for (Ast.Arg a : call.args()) {
            Val v = Evaluate.eval(a.value(), env, d);
            if (v == null) {
                ok = false;
                continue;
            }
            if (a.name() == null) {
                if (!named.isEmpty()) {
                    d.error(a.span(), "positional argument after a named one in " + callee,
                            "put positional arguments first");
                    ok = false;
                }
                positional.add(v);
            } else {
                if (named.containsKey(a.name())) {
                    d.error(a.nameSpan(), "argument '" + a.name() + "' is given twice");
                    ok = false;
                }
                named.put(a.name(), v);
                nameSpans.put(a.name(), a.nameSpan());
            }
        }
        if (!ok) {
            return null;
        }
        return bind(callee, call.span(), positional, named, nameSpans, specs, d);
    }

    /** Binds already evaluated arguments (a value call such as {@code adam(lr: 1e-3)}). */
    public static Args bind(String callee, Val.CallVal call, List<ArgSpec> specs, Diagnostics d) {
        return bind(callee, call.span(), call.positional(), call.named(), Map.of(), specs, d);
    }

    public static Args bind(String callee, Span callSpan, List<Val> positional, Map<String, Val> named,
                            Map<String, Span> nameSpans, List<ArgSpec> specs, Diagnostics d) {
        Map<String, Val> given = new LinkedHashMap<>();
        List<ArgSpec> positionals = specs.stream().filter(ArgSpec::positional).toList();
        boolean ok = true;
        for (int i = 0; i < positional.size(); i++) {
            if (i >= positionals.size()) {
                d.error(positional.get(i).span(), callee + " takes " + count(positionals.size(), "positional argument")
                        + ", got " + positional.size(), signature(callee, specs));
                ok = false;
                break;
            }
            given.put(positionals.get(i).name(), positional.get(i));
        }
        List<String> names = specs.stream().map(ArgSpec::name).toList();
        for (Map.Entry<String, Val> e : named.entrySet()) {
            Span at = nameSpans.getOrDefault(e.getKey(), e.getValue().span());
            if (!names.contains(e.getKey())) {
                String hint = Suggest.didYouMean(e.getKey(), names);
                d.error(at, callee + " has no argument '" + e.getKey() + "'",
                        hint != null ? hint : signature(callee, specs));
                ok = false;
            } else if (given.containsKey(e.getKey())) {
                d.error(at, "argument '" + e.getKey() + "' of " + callee + " is given twice (by position and by name)");
                ok = false;
            } else {
                given.put(e.getKey(), e.getValue());
            }
        }
        Map<String, Object> values = new LinkedHashMap<>();
        Map<String, Span> spans = new LinkedHashMap<>();
        for (ArgSpec spec : specs) {
            Val v = given.get(spec.name());
            if (v == null) {
                if (spec.isRequired()) {
                    d.error(callSpan, callee + " needs its '" + spec.name() + "' argument", signature(callee, specs));
                    ok = false;
                } else {
                    values.put(spec.name(), spec.defaultValue());
                }
                continue;
            }
            Object converted = convert(callee, spec.name(), spec.type(), spec.choices(), v, d);
            if (converted == null) {
                ok = false;
            } else {
                values.put(spec.name(), converted);
                spans.put(spec.name(), v.span());
            }
        }
        return ok ? new Args(callee, values, spans, callSpan) : null;
    }

    private static String count(int n, String what) {
        return n == 0 ? "no " + what + "s" : n + " " + what + (n == 1 ? "" : "s");
    }

    /** {@code usage: conv2d(channels, kernel, stride: 1, pad: valid)}. */
    public static String signature(String callee, List<ArgSpec> specs) {
        List<String> parts = new ArrayList<>();
        for (ArgSpec s : specs) {
            if (s.positional() && s.isRequired()) {
                parts.add(s.name());
            } else if (s.defaultValue() == ArgSpec.OPTIONAL || s.defaultValue() == null) {
                parts.add(s.name() + ": ...");
            } else {
                parts.add(s.name() + ": " + show(s.defaultValue()));
            }
        }
        return "usage: " + callee + (parts.isEmpty() ? "" : "(" + String.join(", ", parts) + ")");
    }

    private static String show(Object v) {
        if (v instanceof Args.Padding p) {
            return p.mode().equals("same") || p.mode().equals("valid") ? p.mode() : String.valueOf(p.pixels());
        }
        if (v instanceof Args.Init i) {
            return i.getClass().getSimpleName().toLowerCase();
        }
        if (v instanceof Double x && x == Math.rint(x) && Math.abs(x) < 1e6) {
            return String.valueOf(x.longValue());
        }
        if (v instanceof Double x) {
            return Double.toString(x).replace(".0E", "e").replace("E", "e");
        }
        if (v instanceof int[] pair) {
            return pair.length == 2 && pair[0] == pair[1] ? String.valueOf(pair[0]) : java.util.Arrays.toString(pair);
        }
        if (v instanceof double[] list) {
            return java.util.Arrays.stream(list).mapToObj(x -> show(x)).collect(
                    java.util.stream.Collectors.joining(", ", "[", "]"));
        }
        return String.valueOf(v);
    }

    /** Converts a value to the Java value of {@code type}, or reports why it does not fit. */
    public static Object convert(String callee, String arg, ArgType type, List<String> choices, Val v, Diagnostics d) {
        Object out = tryConvert(type, choices, v);
        InitArg.Problem init = out == null && type == ArgType.INIT ? InitArg.problem(arg, v) : null;
        if (init != null) {
            d.error(init.span(), callee + ": " + init.message());
            return null;
        }
        boolean numeric = java.util.EnumSet.of(ArgType.NUMBER, ArgType.POSITIVE, ArgType.NUMBERS, ArgType.NUMBER_LIST,
                ArgType.NUMBER_OR_LIST).contains(type);
        Val.Num unfit = out == null && numeric ? notAFloat(v, type == ArgType.POSITIVE) : null;
        if (unfit != null) {
            d.error(unfit.span(), unfit(callee, arg, unfit));
        } else if (out == null && tooLargeWhole(type, v)) {
            d.error(v.span(), callee + ": '" + arg + "' is " + v.describe() + ", too large (at most "
                    + Limits.count(Integer.MAX_VALUE) + ")");
        } else if (out == null) {
            String expected = type == ArgType.CHOICE ? "one of " + String.join(", ", choices) : type.description();
            String hint = null;
            if (type == ArgType.CHOICE && v instanceof Val.Name n) {
                hint = Suggest.didYouMean(n.value(), choices);
            }
            d.error(v.span(), callee + ": '" + arg + "' must be " + expected + ", got " + v.describe(), hint);
        }
        return out;
    }

    /** {@code linear: 'weight' has 1e39, too large for a float (at most about 3.4e38)}. */
    static String unfit(String callee, String arg, Val.Num n) {
        return callee + ": '" + arg + "' has " + n.describe() + ", " + (Math.abs(n.value()) > Float.MAX_VALUE
                ? TOO_LARGE : TOO_SMALL);
    }

    /** A whole number asked for, and one given that is too large for an int. */
    private static boolean tooLargeWhole(ArgType type, Val v) {
        return (type == ArgType.POSITIVE_INT || type == ArgType.COUNT) && v instanceof Val.Num n
                && n.value() == Math.rint(n.value()) && n.value() > Integer.MAX_VALUE;
    }

    /** The first number in {@code v} that a float cannot hold (or, when {@code positive}, rounds to 0), or null. */
    static Val.Num notAFloat(Val v, boolean positive) {
        if (v instanceof Val.Num n) {
            boolean tooSmall = positive && n.value() > 0 && (float) n.value() == 0;
            return Math.abs(n.value()) > Float.MAX_VALUE || tooSmall ? n : null;
        }
        if (v instanceof Val.ListVal l) {
            for (Val item : l.items()) {
                Val.Num n = notAFloat(item, positive);
                if (n != null) {
                    return n;
                }
            }
        }
        return null;
    }

    /** The Java value of {@code v} as {@code type}, or null when it does not fit. */
    public static Object tryConvert(ArgType type, List<String> choices, Val v) {
        switch (type) {
            case POSITIVE_INT, COUNT -> {
                if (v instanceof Val.Num n && isWhole(n, type == ArgType.POSITIVE_INT ? 1 : 0)) {
                    return (int) n.value();
                }
                return null;
            }
            case NUMBER, POSITIVE, PROBABILITY, FRACTION -> {
                if (!(v instanceof Val.Num n)) {
                    return null;
                }
                double x = n.value();
                // Numbers end up as floats: one that a float cannot hold is rejected, not rounded to 0 or infinity.
                boolean fits = Math.abs(x) <= Float.MAX_VALUE && switch (type) {
                    case POSITIVE -> (float) x > 0;
                    case PROBABILITY -> x >= 0 && x < 1;
                    case FRACTION -> x >= 0 && x <= 1;
                    default -> true;
                };
                return fits && Double.isFinite(x) ? x : null;
            }
            case BOOL -> {
                if (v instanceof Val.Name n && (n.value().equals("true") || n.value().equals("false"))) {
                    return n.value().equals("true");
                }
                return null;
            }
            case CHOICE -> {
                return v instanceof Val.Name n && choices.contains(n.value()) ? n.value() : null;
            }
            case STRING -> {
                return v instanceof Val.Str s ? s.value() : null;
            }
            case NAME_OR_STRING -> {
                if (v instanceof Val.Str s) {
                    return s.value();
                }
                return v instanceof Val.Name n ? n.value() : null;
            }
            case INIT -> {
                return InitArg.of(v);
            }
            case NUMBERS -> {
                return tensor(v);
            }
            case PADDING -> {
                if (v instanceof Val.Name n) {
                    return switch (n.value()) {
                        case "same" -> Args.Padding.SAME;
                        case "valid" -> Args.Padding.VALID;
                        default -> null;
                    };
                }
                if (v instanceof Val.Num n && isWhole(n, 0)) {
                    return new Args.Padding("explicit", (int) n.value());
                }
                return null;
            }
            case SIZE2 -> {
                if (v instanceof Val.Num n && isWhole(n, 1)) {
                    return new int[] {(int) n.value(), (int) n.value()};
                }
                if (v instanceof Val.ListVal l && l.items().size() == 2
                        && l.items().stream().allMatch(i -> i instanceof Val.Num n && isWhole(n, 1))) {
                    return new int[] {(int) ((Val.Num) l.items().get(0)).value(), (int) ((Val.Num) l.items().get(1)).value()};
                }
                return null;
            }
            case NUMBER_OR_LIST -> {
                if (v instanceof Val.Num n) {
                    return new double[] {n.value()};
                }
                if (!(v instanceof Val.ListVal l) || l.items().isEmpty()
                        || !l.items().stream().allMatch(i -> i instanceof Val.Num)) {
                    return null;
                }
                return l.items().stream().mapToDouble(i -> ((Val.Num) i).value()).toArray();
            }
            case NUMBER_LIST -> {
                if (!(v instanceof Val.ListVal l) || !l.items().stream().allMatch(i -> i instanceof Val.Num)) {
                    return null;
                }
                return l.items().stream().mapToDouble(i -> ((Val.Num) i).value()).toArray();
            }
            default -> {
                return v;
            }
        }
    }

    /** A whole number in [min, Integer.MAX_VALUE]. */
    private static boolean isWhole(Val.Num n, int min) {
        return n.value() == Math.rint(n.value()) && n.value() >= min && n.value() <= Integer.MAX_VALUE;
    }

    /** A number or a rectangular nested list of numbers. */
    private static Args.Tensor tensor(Val v) {
        List<Integer> dims = new ArrayList<>();
        Val probe = v;
        while (probe instanceof Val.ListVal l) {
            if (l.items().isEmpty()) {
                return null;
            }
            dims.add(l.items().size());
            probe = l.items().get(0);
        }
        if (!(probe instanceof Val.Num)) {
            return null;
        }
        int[] at = {0};
        if (!flatten(v, 0, dims, null, at)) {
            return null; // ragged, or a value a float cannot hold: nothing allocated for it
        }
        float[] values = new float[at[0]];
        at[0] = 0;
        flatten(v, 0, dims, values, at);
        return new Args.Tensor(dims.stream().mapToInt(Integer::intValue).toArray(), values);
    }

    /** Checks the shape (out null) or copies the numbers (out sized by the check). */
    private static boolean flatten(Val v, int depth, List<Integer> dims, float[] out, int[] at) {
        if (depth == dims.size()) {
            if (!(v instanceof Val.Num n) || Math.abs(n.value()) > Float.MAX_VALUE) {
                return false;
            }
            if (out != null) {
                out[at[0]] = (float) n.value();
            }
            at[0]++;
            return true;
        }
        if (!(v instanceof Val.ListVal l) || l.items().size() != dims.get(depth)) {
            return false;
        }
        for (Val item : l.items()) {
            if (!flatten(item, depth + 1, dims, out, at)) {
                return false;
            }
        }
        return true;
    }
}
