package nnc.compiler.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import nnc.compiler.CompileResult;
import nnc.compiler.NncCompiler;
import nnc.compiler.data.DataProbe;
import nnc.compiler.diag.Diagnostics;
import nnc.compiler.diag.SourceFile;
import nnc.compiler.syntax.Ast;
import nnc.runtime.data.DatasetPaths;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code nnc check FILE...}: every diagnostic, nothing else. */
@Command(name = "check", mixinStandardHelpOptions = true,
        description = {"Check .nn files, and the data they train on, for errors.",
            "It checks syntax, names, arguments, shapes, losses and settings, and that each",
            "data file exists, its header is sound and its samples fit the model."})
final class CheckCommand implements Callable<Integer> {
    @Parameters(paramLabel = "FILE", arity = "1..*", description = "The .nn files to check.")
    List<Path> files;

    @Option(names = "--no-data", description = "Do not look at data files.")
    boolean noData;

    @Option(names = "--data", paramLabel = "DIR", description = "A folder to look for datasets in first (repeatable).")
    List<Path> dataDirs = new ArrayList<>();

    @Override
    public Integer call() {
        int errors = 0;
        for (Path file : files) {
            SourceFile src;
            try {
                src = Frontend.read(file);
            } catch (UserError e) { // missing, a folder, not UTF-8: one error, and the other files are checked
                System.err.println(e.getMessage());
                errors++;
                continue;
            }
            CompileResult r = NncCompiler.check(src);
            System.err.print(r.render());
            int n = r.errors().size();
            if (n == 0 && !noData) {
                n = checkData(src, file);
            }
            if (n > 0) {
                errors += n;
            } else {
                System.out.println(file + ": ok");
            }
        }
        if (errors > 0) {
            throw new UserError(errors + (errors == 1 ? " error" : " errors"));
        }
        return Main.OK;
    }

    /** The data of every trained model of a file that has no other error; returns the errors found. */
    private int checkData(SourceFile src, Path file) {
        Path baseDir = file.toAbsolutePath().getParent();
        DatasetPaths paths = DatasetPaths.standard(dataDirs);
        Diagnostics d = new Diagnostics(src);
        CompileResult first = NncCompiler.compile(src, NncCompiler.Options.defaults().goal(NncCompiler.Goal.ANALYZE));
        if (!first.ok()) {
            return 0;
        }
        java.util.Set<String> trained = new java.util.LinkedHashSet<>();
        for (Ast.Decl decl : first.requireCompilation().ast().decls()) {
            if (decl instanceof Ast.TrainDecl t) {
                trained.add(t.model().name());
            }
        }
        for (String model : trained) {
            CompileResult r = NncCompiler.compile(src, NncCompiler.Options.defaults().model(model)
                    .goal(NncCompiler.Goal.ANALYZE));
            if (r.ok()) {
                DataProbe.check(r.compilation(), baseDir, paths, d);
            }
        }
        System.err.print(nnc.compiler.diag.DiagnosticPrinter.render(src, d.all()));
        return d.errorCount();
    }
}
