package nnc.compiler.codegen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import nnc.compiler.TestModels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Pins the generated Java of every sample: a change to the emitter, a pass or an op's kernel
 * call shows up as a diff of these files in review. To accept a change, regenerate them:
 * {@code mvn -pl compiler test -Dtest=GoldenFilesTest -Dnnc.golden.update=true}.
 */
class GoldenFilesTest {
    static Path goldenDir() {
        return TestModels.root().resolve("compiler/src/test/resources/golden");
    }

    static Stream<Path> samples() throws IOException {
        try (Stream<Path> s = Files.list(TestModels.root().resolve("samples"))) {
            return s.filter(p -> p.toString().endsWith(".nn")).sorted().toList().stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samples")
    void generatedSourceMatchesGoldenFile(Path sample) throws IOException {
        String actual = TestModels.sourceOfFile(sample, true);
        Path golden = goldenDir().resolve(sample.getFileName().toString().replace(".nn", ".java.txt"));
        if (Boolean.getBoolean("nnc.golden.update")) {
            Files.createDirectories(golden.getParent());
            Files.writeString(golden, actual);
        }
        assertTrue(Files.exists(golden), "no golden file " + golden + "; create it with -Dnnc.golden.update=true");
        assertEquals(Files.readString(golden), actual, "generated code of " + sample.getFileName()
                + " changed; if intended, regenerate with -Dnnc.golden.update=true");
    }

    @Test
    void everySampleHasAGoldenFileAndNoGoldenFileIsStale() throws IOException {
        List<String> expected = samples().map(p -> p.getFileName().toString().replace(".nn", ".java.txt")).sorted().toList();
        try (Stream<Path> s = Files.list(goldenDir())) {
            List<String> actual = s.map(p -> p.getFileName().toString()).sorted().toList();
            assertEquals(expected, actual);
        }
    }

    @Test
    void generatedCodeCommentsEachKernelWithItsSourceLine() throws IOException {
        String java = TestModels.sourceOfFile(TestModels.root().resolve("samples/mnist_mlp.nn"), true);
        long calls = java.lines().filter(l -> l.trim().startsWith("K.")).count();
        long comments = java.lines().filter(l -> l.trim().matches("// (backward of )?mnist_mlp\\.nn:\\d+:\\d+ .*")).count();
        assertEquals(calls, comments, "one source comment per kernel call");
        assertTrue(java.contains("public final class MnistMlp extends CompiledModel"));
    }
}
