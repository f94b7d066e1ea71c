package nnc.compiler.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import nnc.compiler.CompileResult;
import nnc.compiler.NncCompiler;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code nnc check FILE...}: every diagnostic, nothing else. */
@Command(name = "check", mixinStandardHelpOptions = true,
        description = "Check .nn files for errors: syntax, names, arguments, shapes, losses, data.")
final class CheckCommand implements Callable<Integer> {
    @Parameters(paramLabel = "FILE", arity = "1..*", description = "The .nn files to check.")
    List<Path> files;

    @Override
    public Integer call() {
        int errors = 0;
        for (Path file : files) {
            CompileResult r = NncCompiler.check(Frontend.read(file));
            System.err.print(r.render());
            if (!r.ok()) {
                errors += r.errors().size();
            } else {
                System.out.println(file + ": ok");
            }
        }
        if (errors > 0) {
            throw new UserError(errors + (errors == 1 ? " error" : " errors"));
        }
        return Main.OK;
    }
}
