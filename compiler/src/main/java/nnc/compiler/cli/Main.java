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
            EvaluateCommand.class, RunsCommand.class, PredictCommand.class, BuildCommand.class, FetchCommand.class, BenchCommand.class,
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
        System.exit(run(args));
    }

    public static int run(String... args) {
        CommandLine cli = new CommandLine(new Main());
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
            PrintWriter err = cmd.getErr();
            if (e instanceof UserError u) {
                if (!u.getMessage().isEmpty()) {
                    err.println(u.getMessage());
                }
                err.flush();
                return INPUT_ERROR;
            }
            err.println("nnc: internal error (a bug in nnc; please report it with the input that caused it):");
            e.printStackTrace(err);
            err.flush();
            return INTERNAL_ERROR;
        });
        return cli.execute(args);
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
