package nnc.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The lines the worker prints, read back (the same whether it ran in Maven's JVM or a forked one). */
class WorkerTest {
    @Test
    void readsGeneratedFilesDiagnosticsAndText() {
        Worker.Result r = Worker.parse(String.join("\n",
                "JAVA\t/p/src/main/nn/a.nn\t/p/target/gen/nnc/generated/A.java",
                "DIAG\terror\t/p/src/main/nn/b.nn\t4\t24\tunknown layer 'rlu'\\twith a tab\\nand a line",
                "TEXT\t/p/src/main/nn/b.nn:4:24: error: unknown layer 'rlu'",
                "DIAG\twarning\t/p/src/main/nn/c.nn\t0\t0\tback\\\\slash",
                "FAIL\tjava.lang.IllegalStateException: internal error\\n\\tat X"));
        assertEquals(List.of(new Worker.Generated(Path.of("/p/src/main/nn/a.nn"),
                Path.of("/p/target/gen/nnc/generated/A.java"))), r.generated());
        assertEquals(1, r.errors());
        assertEquals(new Worker.Diag("error", "/p/src/main/nn/b.nn", 4, 24, "unknown layer 'rlu'\twith a tab\nand a line"),
                r.diagnostics().get(0));
        assertEquals("back\\slash", r.diagnostics().get(1).message());
        assertEquals(List.of("/p/src/main/nn/b.nn:4:24: error: unknown layer 'rlu'",
                "java.lang.IllegalStateException: internal error\n\tat X"), r.text());
    }
}
