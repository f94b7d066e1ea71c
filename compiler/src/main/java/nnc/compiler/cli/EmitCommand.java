package nnc.compiler.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import nnc.compiler.CompileResult;
import nnc.compiler.NncCompiler;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code nnc emit FILE -d DIR}: writes the generated Java source. */
@Command(name = "emit", mixinStandardHelpOptions = true,
        description = "Write the generated Java source of a model (one class) under a folder.")
final class EmitCommand implements Callable<Integer> {
    @Parameters(paramLabel = "FILE", description = "The .nn file.")
    Path file;

    @Option(names = {"-d", "--dir"}, paramLabel = "DIR", required = true, description = "Where to write (package folders are created).")
    Path dir;

    @Option(names = "--package", paramLabel = "NAME", defaultValue = NncCompiler.DEFAULT_PACKAGE,
            description = "Java package (default ${DEFAULT-VALUE}) of the generated class.")
    String packageName;

    @Mixin
    CompileOptions options = new CompileOptions();

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        if (!NncCompiler.isPackageName(packageName)) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "--package: '" + packageName + "' is not a Java package name (dotted identifiers, no keywords)");
        }
        CompileResult r = options.compile(file, o -> o.packageName(packageName).goal(NncCompiler.Goal.SOURCE),
                System.err);
        options.dumps(r.compilation(), System.out);
        try {
            Path written = r.java().writeTo(dir);
            System.out.println("wrote " + written);
        } catch (IOException e) {
            throw new UserError("nnc: cannot write " + TrainCommand.describe(e)); // names the file
        }
        return Main.OK;
    }
}
