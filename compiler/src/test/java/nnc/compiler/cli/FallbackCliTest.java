package nnc.compiler.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import nnc.compiler.TestModels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The whole command without the Vector API: compile, generate, javac in process, train, predict. */
class FallbackCliTest {
    @TempDir
    Path tmp;

    @Test
    void trainsAndPredictsOnTheScalarBackend() throws Exception {
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String sample = TestModels.root().resolve("samples/moons.nn").toString();
        Process p = new ProcessBuilder(List.of(javaBin, "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), "train", sample, "--epochs", "2", "--out", tmp.toString())).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), err);
        assertTrue(out.strip().matches("test: loss=\\d+\\.\\d{4} accuracy=0\\.\\d{4}"), out + err);
        assertEquals(1, err.lines().filter(l -> l.contains("Vector API")).count(), err);
        assertTrue(err.contains("scalar kernels on"), err);
    }
}
