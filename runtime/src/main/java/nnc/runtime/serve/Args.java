package nnc.runtime.serve;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The arguments of a model jar's command: positionals, {@code --name value} or
 * {@code --name=value} options, and flags. The runtime depends on the JDK alone, so no
 * command-line library; a mistake is a {@link UsageException} (exit code 2).
 */
final class Args {
    /** A usage mistake: printed with the command's usage, exit code 2. */
    static final class UsageException extends Exception {
        UsageException(String message) {
            super(message, null, false, false);
        }
    }

    final List<String> positional = new ArrayList<>();
    private final Map<String, String> options = new HashMap<>();

    /**
     * @param valued options that take a value
     * @param flags  options that take none ({@code --help} is always one)
     */
    Args(String[] args, int from, Set<String> valued, Set<String> flags) throws UsageException {
        boolean onlyPositional = false;
        for (int i = from; i < args.length; i++) {
            String a = args[i];
            if (onlyPositional || !a.startsWith("-") || a.equals("-")) {
                positional.add(a);
                continue;
            }
            if (a.equals("--")) {
                onlyPositional = true;
                continue;
            }
            String name = a.contains("=") ? a.substring(0, a.indexOf('=')) : a;
            if (name.equals("-h") || name.equals("--help") || flags.contains(name)) {
                if (a.contains("=")) {
                    throw new UsageException(name + " takes no value");
                }
                options.put(name.equals("-h") ? "--help" : name, "true");
            } else if (valued.contains(name)) {
                String value;
                if (a.contains("=")) {
                    value = a.substring(a.indexOf('=') + 1);
                } else if (i + 1 < args.length) {
                    value = args[++i];
                } else {
                    throw new UsageException(name + " needs a value");
                }
                if (options.put(name, value) != null) { // the last would win silently, as the user may not expect
                    throw new UsageException(name + " is given twice");
                }
            } else {
                throw new UsageException("unknown option '" + name + "'");
            }
        }
    }

    boolean flag(String name) {
        return options.containsKey(name);
    }

    String get(String name, String otherwise) {
        return options.getOrDefault(name, otherwise);
    }

    int intValue(String name, int otherwise, int min) throws UsageException {
        return intValue(name, otherwise, min, Integer.MAX_VALUE, "");
    }

    /** As {@link #intValue(String, int, int)}, at most {@code max} ({@code why} says why, as " (the cores ...)"). */
    int intValue(String name, int otherwise, int min, int max, String why) throws UsageException {
        String v = options.get(name);
        if (v == null) {
            return otherwise;
        }
        try {
            int n = Integer.parseInt(v.strip());
            if (n < min || n > max) {
                throw new UsageException(name + (max == Integer.MAX_VALUE ? " must be >= " + min
                        : " must be between " + min + " and " + max + why) + ", got " + n);
            }
            return n;
        } catch (NumberFormatException e) {
            throw new UsageException(name + " needs a whole number, got '" + v + "'");
        }
    }

    /** One of {@code choices}, lower case. */
    String choice(String name, String otherwise, List<String> choices) throws UsageException {
        String v = options.getOrDefault(name, otherwise).toLowerCase(java.util.Locale.ROOT);
        if (!choices.contains(v)) {
            throw new UsageException(name + " must be one of " + String.join(", ", choices) + ", got '" + v + "'");
        }
        return v;
    }
}
