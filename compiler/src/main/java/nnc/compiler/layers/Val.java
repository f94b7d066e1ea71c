package nnc.compiler.layers;

import java.util.List;
import java.util.Map;
import nnc.compiler.diag.Span;

/**
 * A compile-time value with the span it was written at: a number, a string, a bare name
 * ({@code same}, {@code he}), a list, or a call ({@code normal(0.01)}). Model and block
 * parameters are substituted and arithmetic is done before a value becomes a Val.
 */
public sealed interface Val {
    Span span();

    /** A short description for messages: "the number 2.5", "the name 'same'". */
    String describe();

    /** A number; {@code text} is how it was written ({@code 1e39}), null when it was computed. */
    record Num(double value, boolean integral, Span span, String text) implements Val {
        public Num(double value, boolean integral, Span span) {
            this(value, integral, span, null);
        }

        /** The number as written, else as computed ({@code 1e39}, not the 9223372036854775807 of a cast to long). */
        @Override
        public String describe() {
            if (text != null) {
                return text;
            }
            if (integral && Math.abs(value) < 1e15) {
                return String.valueOf((long) value);
            }
            return String.valueOf(value).replace(".0E", "e").replace("E", "e");
        }
    }

    record Str(String value, Span span) implements Val {
        @Override
        public String describe() {
            return "\"" + value + "\"";
        }
    }

    record Name(String value, Span span) implements Val {
        @Override
        public String describe() {
            return value;
        }
    }

    record ListVal(List<Val> items, Span span) implements Val {
        @Override
        public String describe() {
            return "a list of " + items.size();
        }
    }

    record CallVal(String name, Span nameSpan, List<Val> positional, Map<String, Val> named, Span span)
            implements Val {
        @Override
        public String describe() {
            return name + "(...)";
        }
    }
}
