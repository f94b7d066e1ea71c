package nnc.compiler.layers;

import java.util.List;

/**
 * One parameter of a layer, data source or setting.
 *
 * @param positional   may be given without its name, in declaration order
 * @param defaultValue the value when absent (a Java value as {@link Args} returns it), or
 *                     null when the argument is required, or {@link #OPTIONAL} when it may be
 *                     absent without a default
 * @param choices      the allowed names for {@link ArgType#CHOICE}
 */
public record ArgSpec(String name, ArgType type, boolean positional, Object defaultValue, List<String> choices) {
    /** Marks an argument that may be left out and has no default. */
    public static final Object OPTIONAL = new Object() {
        @Override
        public String toString() {
            return "optional";
        }
    };

    public static ArgSpec required(String name, ArgType type) {
        return new ArgSpec(name, type, true, null, List.of());
    }

    public static ArgSpec positional(String name, ArgType type, Object defaultValue) {
        return new ArgSpec(name, type, true, defaultValue, List.of());
    }

    public static ArgSpec named(String name, ArgType type, Object defaultValue) {
        return new ArgSpec(name, type, false, defaultValue, List.of());
    }

    public static ArgSpec choice(String name, boolean positional, String defaultValue, String... choices) {
        return new ArgSpec(name, ArgType.CHOICE, positional, defaultValue, List.of(choices));
    }

    public boolean isRequired() {
        return defaultValue == null;
    }
}
