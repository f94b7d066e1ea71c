package nnc.compiler.cli;

import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.logging.Level;
import java.util.logging.Logger;
import nnc.compiler.lsp.NncLanguageServer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code nnc lsp}: the language server over standard input and output. */
@Command(name = "lsp", mixinStandardHelpOptions = true,
        description = {"Run the .nn language server (Language Server Protocol).",
            "It talks over standard input and output. Editors start it themselves; see",
            "docs/editors.md for VS Code and Neovim.",
            "It gives diagnostics as you type, hover (shapes, parameters, FLOPs), go to",
            "definition, completion, document symbols, formatting and inlay hints.",
            "Logs go to standard error."})
final class LspCommand implements Callable<Integer> {
    @Option(names = "--debounce", paramLabel = "MS", defaultValue = "150",
            description = "Milliseconds of quiet after a change before the file is checked (default: ${DEFAULT-VALUE}).")
    long debounceMillis;

    @Option(names = "--verbose", description = "Log connection events to standard error.")
    boolean verbose;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        if (debounceMillis < 0) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "--debounce must be >= 0, got " + debounceMillis);
        }
        // Standard output carries the protocol and nothing else: anything printed by mistake goes to standard error.
        PrintStream protocol = new PrintStream(new FileOutputStream(FileDescriptor.out), false);
        System.setOut(System.err);
        Logger.getLogger("").setLevel(verbose ? Level.INFO : Level.WARNING);
        NncLanguageServer.log(System.err, verbose);
        // buffered: the protocol library reads headers a byte at a time
        return NncLanguageServer.serve(new java.io.BufferedInputStream(new FileInputStream(FileDescriptor.in), 1 << 16),
                protocol, Duration.ofMillis(debounceMillis));
    }
}
