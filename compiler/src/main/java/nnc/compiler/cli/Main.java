package nnc.compiler.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code nnc} command. Exit codes: 0 success, 1 a mistake in the input (or a missing
 * dataset), 2 a usage error, 3 an internal error.
 */
@Command(name = "nnc", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Compiles .nn network descriptions to Java, trains them and runs them.",
        subcommands = {CheckCommand.class, SummaryCommand.class, EmitCommand.class, TrainCommand.class,
            SweepCommand.class, PlotCommand.class, EvaluateCommand.class, RunsCommand.class, PredictCommand.class, BuildCommand.class,
            FetchCommand.class, BenchCommand.class,
            LspCommand.class, HelpCommand.class},
        footer = {"", "Exit codes: 0 ok, 1 error in the input, 2 usage error, 3 internal error.",
            "Run 'nnc COMMAND --help' for a command's options."})
public final class Main implements Runnable {
    public static final int OK = 0;
    public static final int INPUT_ERROR = 1;
    public static final int USAGE_ERROR = 2;
    public static final int INTERNAL_ERROR = 3;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is required");
    }

    public static void main(String[] args) {
        WholeWrites.install();
        System.exit(run(args));
    }

    /**
     * Runs the command line. Nothing escapes as a stack trace: a mistake in the input is a
     * {@link UserError} (exit 1), in the command line a usage error (exit 2, checked first by
     * {@link OptionRules}), a failing disk or too little memory a clear message (exit 1); only
     * a bug in nnc is an internal error (exit 3), with its trace written to a file to report.
     */
    public static int run(String... args) {
        CommandLine cli = new CommandLine(new Main());
        everyCommand(cli, c -> c.getCommandSpec().versionProvider(new Version()));
        cli.setExecutionStrategy(parsed -> {
            try {
                OptionRules.check(parsed);
            } catch (UserError e) {
                // picocli would print it as an exception ("nnc.compiler.cli.UserError: ...")
                return failure(e, cli.getErr());
            }
            return new CommandLine.RunLast().execute(parsed);
        });
        cli.setParameterExceptionHandler((e, rest) -> {
            PrintWriter err = e.getCommandLine().getErr();
            String command = e.getCommandLine().getCommandSpec().qualifiedName();
            err.println(command + ": " + usageMessage(e));
            CommandLine.UnmatchedArgumentException.printSuggestions(e, err);
            err.println("  = hint: run '" + command + " --help' for the "
                    + (e.getCommandLine().getSubcommands().isEmpty() ? "options" : "commands and options"));
            err.flush();
            return USAGE_ERROR;
        });
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> failure(e, cmd.getErr()));
        try {
            return cli.execute(args);
        } catch (RuntimeException | Error e) {
            return failure(e, cli.getErr());
        }
    }

    /**
     * picocli's message in words: "unknown command 'frob'" or "unknown option '--tpo'" instead
     * of "Unmatched argument at index 0: 'frob'" (and the arguments after it).
     */
    private static String usageMessage(CommandLine.ParameterException e) {
        if (e instanceof CommandLine.UnmatchedArgumentException u && !u.getUnmatched().isEmpty()) {
            String first = u.getUnmatched().get(0);
            if (first.startsWith("-")) {
                return "unknown option '" + first + "'";
            }
            return e.getCommandLine().getSubcommands().isEmpty() ? "unexpected argument '" + first + "'"
                    : "unknown command '" + first + "'";
        }
        return e.getMessage();
    }

    private static void everyCommand(CommandLine c, java.util.function.Consumer<CommandLine> action) {
        action.accept(c);
        c.getSubcommands().values().forEach(sub -> everyCommand(sub, action));
    }

    /** The exit code for what a command threw, after saying what went wrong. */
    static int failure(Throwable e, PrintWriter err) {
        try {
            if (e instanceof UserError u) {
                if (!u.getMessage().isEmpty()) {
                    err.println(u.getMessage());
                }
                return INPUT_ERROR;
            }
            if (e instanceof nnc.runtime.model.ArenaTooLargeException a) {
                err.println("nnc: " + a.getMessage() + (a.largest() > 0 ? "\n  = hint: use a smaller batch (--batch)" : ""));
                return INPUT_ERROR;
            }
            if (outOfMemory(e)) {
                err.println("nnc: out of memory: this needs more than the " + (Runtime.getRuntime().maxMemory() >> 20)
                        + " MiB the JVM may use\n  = hint: give it more, e.g. NNC_JAVA_OPTS=-Xmx8g, or use a smaller "
                        + "model or batch");
                return INPUT_ERROR;
            }
            if (e instanceof java.io.IOException || e instanceof java.io.UncheckedIOException) {
                err.println("nnc: " + Failures.describe(e instanceof java.io.UncheckedIOException u ? u.getCause() : e));
                return INPUT_ERROR;
            }
            err.println("nnc: internal error: " + e + "\n  = this is a bug in nnc; " + Failures.report(e));
            return INTERNAL_ERROR;
        } finally {
            err.flush();
        }
    }

    /** An OutOfMemoryError, or one that a library (javac's task API) wrapped in another exception. */
    private static boolean outOfMemory(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof OutOfMemoryError) {
                return true;
            }
        }
        return false;
    }

    /** The version from the jar manifest, or "dev". */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"nnc " + (v == null ? "0.1.0-dev" : v) + " (Java " + Runtime.version() + ", "
                    + nnc.runtime.kernels.Kernels.backend().name() + " kernels)"};
        }
    }
}
