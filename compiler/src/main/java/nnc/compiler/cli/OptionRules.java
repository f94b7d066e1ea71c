package nnc.compiler.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;

/**
 * What every command-line option may be, in one table, checked before any command runs: a
 * path that must be read must exist (and be a file, or a folder), a path that will be written
 * must be creatable, and every number has bounds. A number out of bounds is a usage error
 * (exit 2), a path the file system does not match an input error (exit 1, as a missing .nn
 * file is); both name the command and the option. {@code OptionRulesTest} fails when an option of a path or
 * number type has no rule here, so a new option cannot skip validation.
 *
 * <p>The path checks are public for commands that take paths in other ways.
 */
public final class OptionRules {
    private OptionRules() {
    }

    /** What an option's value must be. */
    sealed interface Rule {
    }

    record InputFile() implements Rule {
    }

    /** A folder to read; {@code what} names it in messages ("folder", "run folder"). */
    record InputDir(String what) implements Rule {
    }

    record OutputDir() implements Rule {
    }

    record OutputFile() implements Rule {
    }

    /** A whole number in [min, max]; {@code max} {@link #CORES} means the machine's cores. */
    record Range(long min, long max) implements Rule {
    }

    /** A number in (above, max]: more than {@code above}, at most {@code max}. */
    record Real(double above, double max) implements Rule {
    }

    /** Any value of the option's type (a seed). */
    record Any() implements Rule {
    }

    /** One of a few words. */
    record Choice(List<String> words) implements Rule {
    }

    static final long CORES = -1;

    /** The largest batch a command-line option may ask for (a training arena holds batch x floats per sample). */
    public static final int MAX_BATCH = 65_536;

    /**
     * Rules by option name; "command --name" first (where one command's option means another
     * thing), then the option's longest name.
     */
    static final Map<String, Rule> RULES = Map.ofEntries(
            Map.entry("plot --out", new OutputFile()),
            Map.entry("--weights", new InputFile()),
            Map.entry("--images", new InputFile()),
            Map.entry("--data", new InputDir("folder")),
            Map.entry("--out", new OutputDir()),
            Map.entry("--output", new OutputFile()),
            Map.entry("--top", new Range(1, 1_000_000)),
            Map.entry("--seconds", new Real(0, 3_600)),
            Map.entry("--dir", new OutputDir()),
            Map.entry("--resume", new InputDir("run folder")),
            Map.entry("--run", new InputDir("run folder")),
            Map.entry("--checkpoint-every", new Range(0, Integer.MAX_VALUE)),
            Map.entry("--debounce", new Range(0, 60_000)),
            Map.entry("--threads", new Range(1, CORES)),
            Map.entry("--batch", new Range(1, MAX_BATCH)),
            Map.entry("--epochs", new Range(0, 1_000_000)),
            Map.entry("--limit", new Range(1, Integer.MAX_VALUE)),
            Map.entry("--repeat", new Range(1, 1_000_000)),
            Map.entry("--rounds", new Range(1, 1_000_000)),
            Map.entry("--steps", new Range(1, 1_000_000)),
            Map.entry("--seed", new Any()),
            Map.entry("--dump", new Choice(List.of("ast", "ir", "train", "fused", "plan"))),
            Map.entry("--layout", new Choice(List.of("NN", "NT", "TN"))),
            Map.entry("--algorithm", new Choice(java.util.Arrays.stream(nnc.runtime.kernels.ConvAlgorithm.values())
                    .map(a -> a.name().toLowerCase(java.util.Locale.ROOT)).toList())));

    /** Positional numbers (bench gemm M N K): each side of a matrix, so any product of two fits an array. */
    static final Rule POSITIONAL_NUMBER = new Range(1, 46_340);

    /** Checks every option and positional number the user gave to the command being run. */
    static void check(CommandLine.ParseResult parsed) {
        CommandLine.ParseResult leaf = parsed;
        while (leaf.hasSubcommand()) {
            leaf = leaf.subcommand();
        }
        CommandSpec spec = leaf.commandSpec();
        for (OptionSpec o : leaf.matchedOptions()) {
            Rule rule = RULES.getOrDefault(spec.name() + " " + o.longestName(), RULES.get(o.longestName()));
            Object value = o.getValue();
            if (rule == null || value == null) {
                continue;
            }
            for (Object v : value instanceof List<?> list ? list : List.of(value)) {
                String problem = problem(rule, v);
                if (problem != null && isPath(rule)) {
                    // The file system does not hold what the option names: an input error, as a missing .nn file is.
                    throw new UserError(spec.qualifiedName() + ": " + o.longestName() + ": " + problem);
                }
                if (problem != null) {
                    throw new ParameterException(spec.commandLine(), o.longestName() + ": " + problem);
                }
            }
        }
        for (CommandLine.Model.PositionalParamSpec p : leaf.matchedPositionals()) {
            if (p.getValue() instanceof Integer n) {
                String problem = problem(POSITIONAL_NUMBER, n);
                if (problem != null) {
                    throw new ParameterException(spec.commandLine(), p.paramLabel() + ": " + problem);
                }
            }
        }
    }

    private static boolean isPath(Rule rule) {
        return rule instanceof InputFile || rule instanceof InputDir || rule instanceof OutputDir
                || rule instanceof OutputFile;
    }

    /** What is wrong with {@code value} under {@code rule}, or null. */
    static String problem(Rule rule, Object value) {
        return switch (rule) {
            case InputFile f -> inputFile((Path) value);
            case InputDir f -> inputDir((Path) value, f.what());
            case OutputDir f -> outputDir((Path) value);
            case OutputFile f -> outputFile((Path) value);
            case Range r -> {
                long max = r.max() == CORES ? Runtime.getRuntime().availableProcessors() : r.max();
                long v = ((Number) value).longValue();
                yield v >= r.min() && v <= max ? null : "must be " + (max >= Integer.MAX_VALUE ? "at least " + r.min()
                        : "between " + r.min() + " and " + max) + (r.max() == CORES ? " (the cores of this machine)" : "")
                        + ", got " + value;
            }
            case Real r -> {
                double v = ((Number) value).doubleValue();
                yield v > r.above() && v <= r.max() ? null : "must be more than " + number(r.above()) + " and at most "
                        + number(r.max()) + ", got " + value;
            }
            case Any a -> null;
            case Choice c -> c.words().contains(value) ? null : "must be one of " + String.join(", ", c.words())
                    + "; got " + value;
        };
    }

    private static String number(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }

    /** A file to read: it exists and is a regular file (not a folder, not a device such as /dev/zero). */
    public static String inputFile(Path p) {
        if (!Files.exists(p)) {
            return p + ": no such file";
        }
        if (Files.isDirectory(p)) {
            return p + " is a folder; give a file";
        }
        if (!Files.isRegularFile(p)) {
            return p + " is not a regular file";
        }
        return Files.isReadable(p) ? null : p + " cannot be read (permission denied)";
    }

    /** A folder to read: it exists and is a folder. */
    public static String inputDir(Path p) {
        return inputDir(p, "folder");
    }

    private static String inputDir(Path p, String what) {
        if (!Files.exists(p)) {
            return p + ": no such " + what;
        }
        return Files.isDirectory(p) ? null : p + " is a file, not a folder";
    }

    /** A folder to write into: a folder that can be written, or a path where one can be created. */
    public static String outputDir(Path p) {
        if (Files.exists(p)) {
            if (!Files.isDirectory(p)) {
                return p + " is a file, not a folder";
            }
            return Files.isWritable(p) ? null : p + " cannot be written (permission denied)";
        }
        return creatable(p);
    }

    /** A file to write: a writable file, or a path where one can be created; never a folder. */
    public static String outputFile(Path p) {
        if (Files.isDirectory(p)) {
            return p + " is a folder; give a file name";
        }
        if (Files.exists(p)) {
            return Files.isWritable(p) ? null : p + " cannot be written (permission denied)";
        }
        return creatable(p);
    }

    /** The nearest existing ancestor of {@code p} must be a writable folder. */
    private static String creatable(Path p) {
        Path at = p.toAbsolutePath().normalize().getParent();
        while (at != null && !Files.exists(at)) {
            at = at.getParent();
        }
        if (at == null) {
            return p + " cannot be created";
        }
        if (!Files.isDirectory(at)) {
            return p + " cannot be created: " + at + " is a file";
        }
        return Files.isWritable(at) ? null : p + " cannot be created: " + at + " is not writable";
    }
}
