package nnc.compiler.lsp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import nnc.compiler.TestModels;
import nnc.compiler.diag.SourceFile;
import org.junit.jupiter.api.Test;

/**
 * Every feature on half-typed and mangled text, without the protocol: prefixes of every sample
 * and random mutations (characters deleted, duplicated, swapped, brackets and arrows dropped
 * in). Nothing may throw or log an internal error, and formatting must keep every token and be
 * idempotent.
 */
class RobustnessTest {
    private static final String JUNK = "(){}[]->:,=+|\"#;.\n 0e-x_";

    @Test
    void featuresNeverFailOnBrokenText() throws Exception {
        int errorsBefore = NncLanguageServer.internalErrors();
        Random r = new Random(42);
        int texts = 0;
        for (Path f : samples()) {
            String text = Files.readString(f);
            for (int cut = 0; cut <= text.length(); cut += 1 + r.nextInt(9)) {
                exercise(text.substring(0, cut), r);
                texts++;
            }
            for (int i = 0; i < 60; i++) {
                exercise(mutate(text, r), r);
                texts++;
            }
        }
        exercise("(".repeat(5000) + "x" + ")".repeat(5000), r);
        exercise("model M {\n input x: [1]\n x" + " -> relu".repeat(3000) + "\n}\n", r);
        assertEquals(errorsBefore, NncLanguageServer.internalErrors(), "internal errors logged on " + texts + " texts");
    }

    @Test
    void malformedMessagesAreLoggedInOneLineEach() {
        java.io.ByteArrayOutputStream log = new java.io.ByteArrayOutputStream();
        String junk = "Content-Length: 99999999999\r\n\r\n{}Content-Length: 5\r\n\r\n{{{{{"
                + "Content-Length: -5\r\n\r\n" + "x".repeat(100_000) + "\r\n\r\n";
        try {
            NncLanguageServer.log(new java.io.PrintStream(log, true, java.nio.charset.StandardCharsets.UTF_8), false);
            NncLanguageServer.serve(new java.io.ByteArrayInputStream(junk.getBytes(java.nio.charset.StandardCharsets.UTF_8)),
                    new java.io.ByteArrayOutputStream(), java.time.Duration.ofMillis(10));
        } finally {
            NncLanguageServer.log(System.err, false);
        }
        String text = log.toString(java.nio.charset.StandardCharsets.UTF_8);
        org.junit.jupiter.api.Assertions.assertTrue(text.contains("nnc lsp: ignored a malformed message from the editor: "),
                text);
        org.junit.jupiter.api.Assertions.assertFalse(text.contains("\tat ") || text.contains("xxxxxxxxxx".repeat(30)), text);
        text.lines().forEach(l -> org.junit.jupiter.api.Assertions.assertTrue(l.length() < 300, l));
    }

    @Test
    void samplesAreInTheCanonicalLayout() throws Exception {
        for (Path f : samples()) {
            String text = Files.readString(f);
            assertEquals(text, Formatter.format(text), f.toString());
            String flat = text.lines().map(String::strip).reduce("", (a, b) -> a + b + "\n");
            assertEquals(text, Formatter.format(flat), "re-indenting " + f);
        }
    }

    private static List<Path> samples() throws Exception {
        try (Stream<Path> s = Files.list(TestModels.root().resolve("samples"))) {
            return s.filter(p -> p.toString().endsWith(".nn")).sorted().toList();
        }
    }

    private static void exercise(String text, Random r) {
        Snapshot s = Snapshot.check(0, 1, new SourceFile("t.nn", text));
        TextDocuments.diagnostics(s);
        Symbols.symbols(s);
        InlayHints.hints(s, 0, Integer.MAX_VALUE);
        for (int i = 0; i < 8; i++) {
            int at = r.nextInt(text.length() + 1);
            Hovers.hover(s, at);
            Definitions.definition(s.outline(), at);
            Completions.complete(s.outline(), at);
            Snapshot.offset(text, s.position(at));
        }
        String formatted = Formatter.format(text);
        assertEquals(tokens(text), tokens(formatted), () -> "formatting changed the tokens of:\n" + text);
        assertEquals(formatted, Formatter.format(formatted), () -> "formatting is not idempotent on:\n" + text);
    }

    private static List<String> tokens(String text) {
        return Tokens.of(text).list().stream().filter(t -> !t.isNewline() || t.is(";"))
                .map(t -> t.type() + ":" + t.text()).toList();
    }

    private static String mutate(String text, Random r) {
        StringBuilder b = new StringBuilder(text);
        for (int n = 1 + r.nextInt(6); n > 0 && b.length() > 0; n--) {
            int at = r.nextInt(b.length());
            switch (r.nextInt(4)) {
                case 0 -> b.deleteCharAt(at);
                case 1 -> b.insert(at, JUNK.charAt(r.nextInt(JUNK.length())));
                case 2 -> b.insert(at, b.charAt(r.nextInt(b.length())));
                default -> {
                    int to = Math.min(b.length(), at + 1 + r.nextInt(40));
                    b.delete(at, to);
                }
            }
        }
        return b.toString();
    }
}
