package nnc.compiler.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import nnc.compiler.CompileResult;
import nnc.compiler.NncCompiler;
import nnc.compiler.diag.DiagnosticPrinter;
import nnc.compiler.diag.SourceFile;

/**
 * The whole front end, from bytes through every check to generated Java, on arbitrary input:
 * whatever the text, the result is diagnostics (or a model), never an exception, and rendering
 * them never fails.
 * {@code anyText} starts from nothing, {@code samples} from the samples (copied into its seed
 * folder at build time, see compiler/pom.xml). Findings are kept in
 * src/test/resources/nnc/compiler/fuzz/FrontEndFuzzTestInputs and replayed by every test run.
 * docs/errors.md has the command for the long run.
 */
class FrontEndFuzzTest {
    @FuzzTest(maxDuration = "5s")
    void anyText(byte[] input) {
        compile(input);
    }

    @FuzzTest(maxDuration = "5s")
    void samples(byte[] input) {
        compile(input);
    }

    static void compile(byte[] input) {
        SourceFile source;
        try {
            source = SourceFile.decode("fuzz.nn", input);
        } catch (SourceFile.ReadException e) {
            return; // not UTF-8: reported with its place, a diagnostic
        }
        CompileResult checked = NncCompiler.check(source);
        DiagnosticPrinter.render(source, checked.diagnostics());
        if (!checked.ok() || Integer.remainderUnsigned(java.util.Arrays.hashCode(input), 8) != 0) {
            return; // Java for one valid input in eight: emitting is slower than checking
        }
        CompileResult r = NncCompiler.compile(source, NncCompiler.Options.defaults().goal(NncCompiler.Goal.SOURCE));
        r.render();
        if (r.ok()) {
            r.java().text();
        }
    }
}
