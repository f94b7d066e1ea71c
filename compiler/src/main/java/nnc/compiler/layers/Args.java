package nnc.compiler.layers;

import java.util.Map;
import nnc.compiler.diag.Span;

/**
 * Arguments after binding and checking: each is the Java value of its type (Integer,
 * Double, Boolean, String, {@link Init}, {@link Tensor}, {@link Padding}, int[2]), with the
 * span it was written at (or the call's span for defaults).
 */
public record Args(String callee, Map<String, Object> values, Map<String, Span> spans, Span callSpan) {
    public boolean has(String name) {
        return values.get(name) != null && values.get(name) != ArgSpec.OPTIONAL;
    }

    public Object get(String name) {
        Object v = values.get(name);
        return v == ArgSpec.OPTIONAL ? null : v;
    }

    public int integer(String name) {
        return (Integer) values.get(name);
    }

    public double number(String name) {
        return ((Number) values.get(name)).doubleValue();
    }

    public boolean bool(String name) {
        return (Boolean) values.get(name);
    }

    public String string(String name) {
        return (String) values.get(name);
    }

    public Span span(String name) {
        return spans.getOrDefault(name, callSpan);
    }

    /** An initialiser argument. */
    public sealed interface Init {
        record He() implements Init {
        }

        record Glorot() implements Init {
        }

        record Normal(double std) implements Init {
        }

        record Uniform(double limit) implements Init {
        }

        record Constant(double value) implements Init {
        }
    }

    /** A literal tensor: its dimensions and row-major values. */
    public record Tensor(int[] dims, float[] values) {
    }

    /** {@code same}, {@code valid}, or an explicit number of pixels. */
    public record Padding(String mode, int pixels) {
        public static final Padding VALID = new Padding("valid", 0);
        public static final Padding SAME = new Padding("same", -1);
    }
}
