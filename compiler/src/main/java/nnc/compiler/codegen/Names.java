package nnc.compiler.codegen;

import java.util.HashSet;
import java.util.Set;

/** Unique, readable Java identifiers for generated fields and constants. */
final class Names {
    private final Set<String> used = new HashSet<>();

    Names(Set<String> reserved) {
        used.addAll(reserved);
    }

    /** {@code linear_1} -> {@code linear1}, {@code Residual_1/conv2d_2} -> {@code residual1Conv2d2}. */
    static String camel(String raw) {
        StringBuilder out = new StringBuilder();
        boolean upper = false;
        for (char c : raw.toCharArray()) {
            if (Character.isLetterOrDigit(c)) {
                out.append(upper ? Character.toUpperCase(c) : (out.isEmpty() ? Character.toLowerCase(c) : c));
                upper = false;
            } else {
                upper = !out.isEmpty();
            }
        }
        if (out.isEmpty() || !Character.isJavaIdentifierStart(out.charAt(0))) {
            out.insert(0, 'v');
        }
        return out.toString();
    }

    /** {@code linear_1.weight} -> {@code LINEAR_1_WEIGHT}. */
    static String constant(String raw) {
        String s = raw.replaceAll("[^A-Za-z0-9]+", "_").toUpperCase();
        return Character.isJavaIdentifierStart(s.charAt(0)) ? s : "P_" + s;
    }

    boolean isUsed(String name) {
        return used.contains(name);
    }

    /** A name not used yet, from {@code base}, {@code base2}, {@code base3} ... */
    String fresh(String base) {
        String name = base;
        for (int i = 2; used.contains(name); i++) {
            name = base + i;
        }
        used.add(name);
        return name;
    }

    /** The file name of a path, for comments ({@code samples/mnist_mlp.nn} -> {@code mnist_mlp.nn}). */
    static String fileName(String path) {
        java.nio.file.Path name = java.nio.file.Path.of(path).getFileName();
        return comment(name == null ? path : name.toString());
    }

    /**
     * Text from the user (a file name, a slice of the .nn source) made safe inside a Java
     * comment: javac reads a backslash, 'u' and 000a as a line break anywhere in a file, so every
     * backslash is doubled (no backslash then starts a Unicode escape); control characters
     * (a line break would end a {@code //} comment) become '?'; and a comment end is broken up.
     */
    static String comment(String text) {
        StringBuilder b = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\') {
                b.append("\\\\");
            } else if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029') {
                b.append('?');
            } else if (c == '/' && i > 0 && text.charAt(i - 1) == '*') {
                b.append(" /");
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }
}
