package nnc.compiler.layers;

import nnc.compiler.diag.Span;

/**
 * The {@code init:} argument: a name ({@code he}, {@code glorot}, {@code zeros}, {@code ones}) or a
 * call with one number, {@code normal(std)}, {@code uniform(limit)} or {@code constant(v)}. Every
 * value it can put in a weight must be a finite float: a constant or a limit at most
 * {@link Float#MAX_VALUE}, a standard deviation at most {@link #MAX_NORMAL_STD}; a scale must also
 * be > 0 and not round to 0 as a float. {@link #problem} says which number breaks which rule.
 */
final class InitArg {
    /**
     * The largest standard deviation of {@code normal(std)}: a Gaussian sample beyond 64 standard
     * deviations (probability below 1e-800) never happens, so every sample stays a finite float.
     */
    static final double MAX_NORMAL_STD = Float.MAX_VALUE / 64.0;

    private InitArg() {
    }

    /** A mistake in an initialiser: where, and the message after {@code "callee: "}. */
    record Problem(Span span, String message) {
    }

    /** The initialiser {@code v} names, or null when it is not one or a number breaks a rule. */
    static Args.Init of(Val v) {
        if (v instanceof Val.Name n) {
            return switch (n.value()) {
                case "he", "kaiming" -> new Args.Init.He();
                case "glorot", "xavier" -> new Args.Init.Glorot();
                case "zeros" -> new Args.Init.Constant(0);
                case "ones" -> new Args.Init.Constant(1);
                default -> null;
            };
        }
        Val.Num x = number(v);
        if (x == null || problem("init", v) != null) {
            return null;
        }
        return switch (((Val.CallVal) v).name()) {
            case "normal" -> new Args.Init.Normal(x.value());
            case "uniform" -> new Args.Init.Uniform(x.value());
            default -> new Args.Init.Constant(x.value());
        };
    }

    /**
     * Why the number of {@code normal(std)}, {@code uniform(limit)} or {@code constant(v)} does not
     * make finite float weights, at that number; null when it does, or when {@code v} is not such a call.
     */
    static Problem problem(String arg, Val v) {
        Val.Num x = number(v);
        if (x == null) {
            return null;
        }
        double value = x.value();
        String call = ((Val.CallVal) v).name();
        if (call.equals("constant")) {
            return Math.abs(value) > Float.MAX_VALUE ? new Problem(x.span(), "'" + arg + "' has " + x.describe() + ", "
                    + Binder.TOO_LARGE) : null;
        }
        boolean normal = call.equals("normal");
        String scale = normal ? "the standard deviation of normal(std)" : "the limit of uniform(limit)";
        double max = normal ? MAX_NORMAL_STD : Float.MAX_VALUE;
        if (!(value > 0)) {
            return new Problem(x.span(), scale + " must be > 0, got " + x.describe());
        }
        if ((float) value == 0) {
            return new Problem(x.span(), scale + " is " + x.describe() + ", " + Binder.TOO_SMALL);
        }
        if (value > max) {
            return new Problem(x.span(), scale + " is " + x.describe() + ", too large: the weights it draws must fit"
                    + " a float (at most about " + (normal ? "5.3e36" : "3.4e38") + ")");
        }
        return null;
    }

    /** The number of a one-number call to normal, uniform or constant, or null. */
    private static Val.Num number(Val v) {
        if (v instanceof Val.CallVal c && c.positional().size() == 1 && c.named().isEmpty()
                && c.positional().get(0) instanceof Val.Num x
                && (c.name().equals("normal") || c.name().equals("uniform") || c.name().equals("constant"))) {
            return x;
        }
        return null;
    }
}
