package nnc.maven.worker;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import nnc.compiler.CompileResult;
import nnc.compiler.NncCompiler;
import nnc.compiler.diag.Diagnostic;
import nnc.compiler.diag.DiagnosticPrinter;
import nnc.compiler.diag.SourceFile;

/**
 * The plugin's worker: compiles {@code .nn} files to Java sources through {@link NncCompiler}
 * and reports, one tab-separated line per fact, what it did. It runs in Maven's JVM when that
 * is Java 21 or later, else in a forked JVM ({@code main}); the plugin reads the same lines
 * either way:
 *
 * <pre>
 *   JAVA  nn-file  java-file                              a source was written
 *   DIAG  error|warning  nn-file  line  col  message      a diagnostic (line, col 1-based; 0 unknown)
 *   TEXT  line                                            the diagnostics as nnc prints them
 * </pre>
 *
 * Tabs and line breaks inside fields are written as {@code \t} and {@code \n}.
 */
public final class Generate {
    private Generate() {
    }

    /** {@code Generate OUTPUT_DIR PACKAGE FILE...}; exit code 1 when a file has errors, 3 on a bug in nnc. */
    public static void main(String[] args) {
        List<Path> files = new ArrayList<>();
        for (int i = 2; i < args.length; i++) {
            files.add(Path.of(args[i]));
        }
        int code;
        try {
            code = run(Path.of(args[0]), args[1], files, System.out) > 0 ? 1 : 0;
        } catch (RuntimeException | Error e) {
            java.io.StringWriter trace = new java.io.StringWriter();
            e.printStackTrace(new java.io.PrintWriter(trace));
            System.out.println("FAIL\t" + escape(trace.toString()));
            code = 3;
        }
        System.out.flush();
        System.exit(code);
    }

    /** Compiles every file; returns the number of errors. */
    public static int run(Path outputDir, String packageName, List<Path> files, PrintStream out) {
        int errors = 0;
        NncCompiler.Options options = NncCompiler.Options.defaults().packageName(packageName)
                .goal(NncCompiler.Goal.SOURCE);
        for (Path file : files) {
            SourceFile src;
            try {
                src = SourceFile.read(file);
            } catch (IOException e) {
                out.println("DIAG\terror\t" + file + "\t0\t0\t" + escape("cannot read: " + e.getMessage()));
                errors++;
                continue;
            }
            CompileResult r = NncCompiler.compile(src, options);
            for (Diagnostic d : r.diagnostics()) {
                int at = d.span().isKnown() ? Math.min(d.span().start(), src.text().length()) : -1;
                out.println("DIAG\t" + d.severity().label() + "\t" + file + "\t" + (at < 0 ? 0 : src.line(at)) + "\t"
                        + (at < 0 ? 0 : src.column(at)) + "\t" + escape(d.message()
                        + (d.hint() != null ? " (hint: " + d.hint() + ")" : "")));
                for (String line : DiagnosticPrinter.render(src, d).split("\n")) {
                    out.println("TEXT\t" + escape(line));
                }
            }
            if (!r.ok()) {
                errors += r.errors().size();
                continue;
            }
            try {
                out.println("JAVA\t" + file + "\t" + r.java().writeTo(outputDir));
            } catch (IOException e) {
                out.println("DIAG\terror\t" + file + "\t0\t0\t" + escape("cannot write the generated source: "
                        + e.getMessage()));
                errors++;
            }
        }
        return errors;
    }

    private static String escape(String s) {
        return s.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n");
    }
}
