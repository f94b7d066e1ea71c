package nnc.runtime.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Without {@code jdk.incubator.vector} on the module path the scalar backend is chosen with
 * one warning, nothing crashes, and the results agree with the SIMD kernels.
 */
class FallbackTest {
    static Process java(boolean vectorApi, String mainClass) throws IOException {
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = vectorApi
                ? List.of(javaBin, "--add-modules", "jdk.incubator.vector", "-cp", System.getProperty("java.class.path"), mainClass)
                : List.of(javaBin, "-cp", System.getProperty("java.class.path"), mainClass);
        return new ProcessBuilder(cmd).start();
    }

    @Test
    void withoutTheVectorApiTheScalarKernelsRunWithOneWarning() throws Exception {
        Process scalar = java(false, FallbackMain.class.getName());
        String out = new String(scalar.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        String err = new String(scalar.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, scalar.waitFor(), err);
        assertTrue(out.startsWith("scalar "), out);
        assertEquals(1, err.lines().filter(l -> l.contains("warning")).count(), err);
        assertTrue(err.contains("--add-modules jdk.incubator.vector"), "the warning says how to get the SIMD kernels: " + err);

        Process simd = java(true, FallbackMain.class.getName());
        String simdOut = new String(simd.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertEquals(0, simd.waitFor());
        assertTrue(simdOut.startsWith("simd "), simdOut);
        String[] s = out.split(" ");
        String[] v = simdOut.split(" ");
        assertEquals(Double.parseDouble(s[1]), Double.parseDouble(v[1]), 1e-3, "same results on both backends");
        assertEquals(Double.parseDouble(s[2]), Double.parseDouble(v[2]), 1e-3);
    }
}
