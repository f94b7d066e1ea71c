package nnc.compiler.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import nnc.compiler.NncCompiler;
import nnc.compiler.diag.SourceFile;

class FrontEndFuzzTest {
    @FuzzTest(maxDuration = "10s")
    void anyText(byte[] data) {
        String text = new String(data, java.nio.charset.StandardCharsets.UTF_8);
        NncCompiler.check(new SourceFile("fuzz.nn", text));
    }
}
