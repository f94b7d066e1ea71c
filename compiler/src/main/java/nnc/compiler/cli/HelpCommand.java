package nnc.compiler.cli;

import java.util.concurrent.Callable;
import nnc.compiler.layers.LayerDocs;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code nnc help [COMMAND | layers]}: the usage of nnc or of a command, or the layer vocabulary. */
@Command(name = "help", mixinStandardHelpOptions = true,
        description = {"Show the usage of nnc or of one command, or the layers a .nn file can use.",
            "  nnc help train     the options of 'nnc train'",
            "  nnc help layers    every layer with its arguments, defaults and what it does"})
final class HelpCommand implements Callable<Integer> {
    @Parameters(paramLabel = "TOPIC", arity = "0..1", description = "A command name, or 'layers'.")
    String topic;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        CommandLine root = spec.root().commandLine();
        if (topic == null) {
            root.usage(System.out);
        } else if (topic.equals("layers")) {
            System.out.println("Layers (arguments with their defaults; required ones first):");
            System.out.print(LayerDocs.text());
        } else if (root.getSubcommands().containsKey(topic)) {
            root.getSubcommands().get(topic).usage(System.out);
        } else {
            throw new CommandLine.ParameterException(spec.commandLine(), "no command or topic '" + topic
                    + "' (topics: layers, " + String.join(", ", root.getSubcommands().keySet()) + ")");
        }
        return Main.OK;
    }
}
