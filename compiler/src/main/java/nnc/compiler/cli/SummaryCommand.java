package nnc.compiler.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import nnc.compiler.Compilation;
import nnc.compiler.NncCompiler;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code nnc summary FILE}: the layer table, as Keras' {@code model.summary()}. */
@Command(name = "summary", mixinStandardHelpOptions = true,
        description = {"Print every layer's output shape and parameter count.",
            "Then the totals and the memory plan."})
final class SummaryCommand implements Callable<Integer> {
    @Parameters(paramLabel = "FILE", description = "The .nn file.")
    Path file;

    @Option(names = "--batch", paramLabel = "N", description = "Batch size for the arena sizes (default: the training batch, else 1).")
    Integer batch;

    @Mixin
    CompileOptions options = new CompileOptions();

    @Override
    public Integer call() {
        Compilation c = options.compile(file, o -> o.goal(NncCompiler.Goal.ANALYZE), System.err)
                .compilation();
        int b = batch != null ? batch : c.train() != null ? c.train().batch() : 1;
        System.out.print(Summary.render(c, b));
        options.dumps(c, System.out);
        return Main.OK;
    }
}
