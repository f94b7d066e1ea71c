package nnc.compiler.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import nnc.compiler.Compilation;
import nnc.compiler.codegen.JavaEmitter;
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

    @Option(names = "--package", paramLabel = "NAME", defaultValue = JavaEmitter.DEFAULT_PACKAGE,
            description = "Java package of the generated class (default: ${DEFAULT-VALUE}).")
    String packageName;

    @Mixin
    CompileOptions options = new CompileOptions();

    @Override
    public Integer call() {
        if (!packageName.matches("[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)*")) {
            throw new UserError("nnc: '" + packageName + "' is not a Java package name");
        }
        Compilation c = Frontend.compile(file, options.pipeline(), System.err);
        options.dumps(c, System.out);
        try {
            Path written = JavaEmitter.emit(c, packageName).writeToPath(dir);
            System.out.println("wrote " + written);
        } catch (IOException e) {
            throw new UserError("nnc: cannot write under " + dir + ": " + e.getMessage());
        }
        return Main.OK;
    }
}
