package nnc.compiler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import nnc.compiler.diag.Diagnostic;
import nnc.compiler.diag.SourceFile;
import nnc.runtime.model.CompiledModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each resource limit of {@link Limits}: at the limit a program is accepted, one past it is
 * rejected with a diagnostic at the place, quickly and without exhausting the stack or memory;
 * and a model at the layer limit compiles to a class (any model that passes check compiles).
 */
class LimitsTest {
    @TempDir
    Path tmp;

    /** The errors of checking {@code text}: "line:col message". */
    static List<String> errors(String text) {
        CompileResult r = NncCompiler.check(new SourceFile("t.nn", text));
        return r.errors().stream().map(e -> r.source().lineColumn(e.span()) + " " + e.message()).toList();
    }

    static String model(String expression) {
        return "model M {\n    input x: [4]\n    x -> linear(" + expression + ")\n}\n";
    }

    @Test
    void aSourceFileIsReadOnlyUpToTheLimit() throws IOException {
        Path big = Files.write(tmp.resolve("big.nn"), new byte[Limits.MAX_SOURCE_BYTES + 1]);
        SourceFile.ReadException e = assertThrows(SourceFile.ReadException.class, () -> SourceFile.read(big));
        assertTrue(e.getMessage().startsWith(big + ": error: the file is larger than 8 MiB"), e.getMessage());
        if (Files.exists(Path.of("/dev/zero"))) {
            assertTimeoutPreemptively(() -> assertThrows(SourceFile.ReadException.class,
                    () -> SourceFile.read(Path.of("/dev/zero"))));
        }
        Path exact = Files.writeString(tmp.resolve("ok.nn"), model("2") + " ".repeat(Limits.MAX_SOURCE_BYTES
                - model("2").length()));
        assertEquals(Limits.MAX_SOURCE_BYTES, SourceFile.read(exact).text().length());
    }

    @Test
    void tokensAreCountedBeforeTheParse() {
        String text = "model M {\n" + "a ".repeat(Limits.MAX_TOKENS) + "\n}\n";
        assertEquals(List.of("2:3999993 the file has more than 2,000,000 tokens"), timed(() -> errors(text)));
    }

    @Test
    void bracketsNestUpToTheLimit() {
        // The model's { and linear( are the first two levels.
        int inner = Limits.MAX_NESTING - 2;
        assertEquals(List.of(), errors(model("(".repeat(inner) + "2" + ")".repeat(inner))));
        assertEquals(List.of("3:79 brackets nested deeper than 64"),
                errors(model("(".repeat(inner + 1) + "2" + ")".repeat(inner + 1))));
        assertEquals(List.of("3:79 brackets nested deeper than 64"),
                errors(model("[".repeat(inner + 1) + "2" + "]".repeat(inner + 1))));
    }

    @Test
    void operatorsInOneExpressionUpToTheLimit() {
        assertEquals(List.of(), errors(model("1" + " + 0".repeat(Limits.MAX_OPERATORS))));
        assertEquals(List.of("3:1043 more than 256 operators and signs in one expression"),
                errors(model("1" + " + 0".repeat(Limits.MAX_OPERATORS + 1))));
        assertEquals(List.of(), errors(model("-".repeat(Limits.MAX_OPERATORS - 1) + "-2")).stream()
                .filter(e -> e.contains("operators")).toList());
        // A sum wrapped over lines is one expression; separate arguments are not.
        assertEquals(List.of("260:5 more than 256 operators and signs in one expression"),
                errors(model("1" + "\n    + 1".repeat(Limits.MAX_OPERATORS + 1))));
        assertEquals(List.of(), errors("model M(" + "a = 1 + 1, ".repeat(300) + "b = 2) {\n    input x: [4]\n"
                + "    x -> linear(b)\n}\n").stream().filter(e -> e.contains("operators")).toList());
    }

    /** The deepest program the limits allow parses and checks on a 256 KiB stack (Java's default is 1 MiB). */
    @Test
    void theLimitsBoundTheRecursion() throws InterruptedException {
        String deepest = "(".repeat(Limits.MAX_NESTING - 3) + "-(1" + " + 1".repeat(Limits.MAX_OPERATORS - 1) + ")"
                + ")".repeat(Limits.MAX_NESTING - 3);
        AtomicReference<Object> result = new AtomicReference<>();
        Thread t = new Thread(null, () -> {
            try {
                result.set(errors(model(deepest)));
            } catch (Throwable e) {
                result.set(e);
            }
        }, "small stack", 256 * 1024);
        t.start();
        t.join();
        assertTrue(result.get() instanceof List<?> l && l.stream().noneMatch(e -> e.toString().contains("nested")),
                String.valueOf(result.get()));
    }

    static String blockChain(int depth, String layer) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < depth; i++) {
            s.append("block B").append(i).append(" {\n    input x\n    x -> ").append(i < depth - 1 ? "B" + (i + 1) : layer)
                    .append("\n}\n");
        }
        return s.append("model M {\n    input x: [4]\n    x -> B0\n}\n").toString();
    }

    @Test
    void blocksNestUpToTheLimit() {
        assertEquals(List.of(), errors(blockChain(Limits.MAX_BLOCK_DEPTH, "relu")));
        assertEquals(List.of("255:10 blocks nested deeper than 64: B0 -> B1 -> B2 -> ... -> B63 -> B64"),
                errors(blockChain(Limits.MAX_BLOCK_DEPTH + 1, "relu")));
    }

    @Test
    void layersUpToTheLimitAndABlockExplosionStopsAtIt() {
        assertEquals(List.of(), errors(model("4)" + " -> relu".repeat(Limits.MAX_LAYERS - 2) + " -> linear(4")));
        assertEquals(List.of("3:16015 the model has more than 2,000 layers (blocks inlined)"),
                errors(model("4)" + " -> relu".repeat(Limits.MAX_LAYERS - 1) + " -> linear(4")));
        // Each block uses the next twice: 2^40 layers if inlined; rejected at the limit, at once.
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < 40; i++) {
            s.append("block B").append(i).append(" {\n    input x\n    a = x -> ").append(i < 39 ? "B" + (i + 1) : "relu")
                    .append("\n    b = x -> ").append(i < 39 ? "B" + (i + 1) : "relu").append("\n    a + b\n}\n");
        }
        s.append("model M {\n    input x: [4]\n    x -> B0\n}\n");
        List<String> errors = timed(() -> errors(s.toString()));
        assertEquals(1, errors.size(), errors::toString);
        assertTrue(errors.get(0).endsWith("the model has more than 2,000 layers (blocks inlined)"), errors::toString);
    }

    @Test
    void namesUpToTheLimit() {
        String at = "B".repeat(Limits.MAX_NAME);
        String longest = "block " + at + " {\n    input x\n    x -> linear(2)\n}\nmodel " + "M".repeat(Limits.MAX_NAME)
                + " {\n    input x: [4]\n    x -> " + at + "\n}\n";
        assertEquals(List.of(), errors(longest));
        CompileResult r = NncCompiler.compile("names.nn", longest, NncCompiler.Options.defaults());
        assertTrue(r.ok(), r::render);
        r.newModel();
        assertEquals(List.of("1:7 a name longer than 128 characters"), errors(model("4)").replace("model M", "model "
                + "M".repeat(Limits.MAX_NAME + 1))));
        // 70,000 characters: javac refused the class name (a constant of at most 65,535 bytes), an internal error
        assertEquals(List.of("3:23 a name longer than 128 characters"), errors(model("4) -> " + "L".repeat(70_000))));
    }

    @Test
    void sweepsUpToTheLimit() {
        String at = sweep(100, 100);
        assertEquals(List.of(), timed(() -> errors(at)));
        assertEquals(List.of("7:5 with 'b' the sweep has more than 10,000 runs, the most one sweep trains"),
                timed(() -> errors(sweep(100, 101))));
        // the file's grid is checked before a SweepGrid is made; --grid's by the grid itself
        String values = "=" + String.join(",", java.util.stream.IntStream.rangeClosed(1, 101).mapToObj(String::valueOf)
                .toList());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> nnc.compiler.runs.SweepGrid.parse(List.of("a" + values, "b" + values)));
        assertEquals("the grid has more than 10,000 runs, the most one sweep trains", e.getMessage());
    }

    /** A sweep of {@code a} values by {@code b} values, b's axis at 7:5. */
    private static String sweep(int a, int b) {
        return "model M(a = 1, b = 1) {\n    input x: [4]\n    x -> linear(a) -> linear(b)\n}\nsweep M {\n    a in "
                + java.util.stream.IntStream.rangeClosed(1, a).boxed().toList() + "\n    b in "
                + java.util.stream.IntStream.rangeClosed(1, b).boxed().toList() + "\n}\n";
    }

    @Test
    void tensorSizesUpToWhatAnArrayHolds() {
        // 46,340 x 46,340 = 2,147,395,600 values: under the limit.
        assertEquals(List.of(), errors("model M {\n    input x: [46340, 46340]\n    x -> flatten\n}\n"));
        assertEquals(List.of("2:14 the input [46341, 46341] is 2,147,488,281 values, more than a tensor can hold "
                + "(2,147,483,639, the largest Java array)"), errors("model M {\n    input x: [46341, 46341]\n    x -> flatten\n}\n"));
        assertEquals(List.of("3:10 linear: [65536, 65536] is 4,294,967,296 values, more than a tensor can hold "
                + "(2,147,483,639, the largest Java array)"), errors("model M {\n    input x: [65536]\n    x -> linear(65536)\n}\n"));
    }

    @Test
    void aModelAtTheLayerLimitCompilesToAClass() {
        String text = "model M {\n    input x: [4]\n    x" + " -> linear(4)".repeat(Limits.MAX_LAYERS)
                + "\n}\ndata d = csv(\"d.csv\")\ntrain M on d {\n    loss mse\n    optimizer sgd(lr: 0.1, momentum: 0.9)\n}\n";
        CompileResult r = NncCompiler.compile("chain.nn", text, NncCompiler.Options.defaults());
        assertTrue(r.ok(), r::render);
        String java = r.java().text();
        assertTrue(java.contains("private void forward0(int n)") && java.contains("private void setUp0()")
                && java.contains("private void initialize0(long seed)") && java.contains("tensors()"),
                "long bodies are split over helpers");
        CompiledModel m = r.newModel();
        m.initialize(3);
        float[] y = m.predict(new float[] {1, 2, 3, 4});
        assertEquals(4, y.length);
    }

    private static void assertTimeoutPreemptively(Runnable r) {
        org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(Duration.ofSeconds(10), r::run);
    }

    /** Rejecting is quick: well under the few seconds the brief allows, with room for a busy machine. */
    private static <T> T timed(java.util.function.Supplier<T> work) {
        return org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(Duration.ofSeconds(20), work::get);
    }

    static boolean isError(Diagnostic d) {
        return d.severity() == Diagnostic.Severity.ERROR;
    }
}
