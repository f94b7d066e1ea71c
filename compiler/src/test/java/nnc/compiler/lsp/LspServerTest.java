package nnc.compiler.lsp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import nnc.compiler.CompileResult;
import nnc.compiler.NncCompiler;
import nnc.compiler.TestModels;
import nnc.compiler.diag.SourceFile;
import org.eclipse.lsp4j.CompletionItem;
import org.eclipse.lsp4j.CompletionParams;
import org.eclipse.lsp4j.DefinitionParams;
import org.eclipse.lsp4j.Diagnostic;
import org.eclipse.lsp4j.DocumentFormattingParams;
import org.eclipse.lsp4j.DocumentSymbol;
import org.eclipse.lsp4j.DocumentSymbolParams;
import org.eclipse.lsp4j.FormattingOptions;
import org.eclipse.lsp4j.HoverParams;
import org.eclipse.lsp4j.InlayHint;
import org.eclipse.lsp4j.InlayHintParams;
import org.eclipse.lsp4j.Location;
import org.eclipse.lsp4j.Position;
import org.eclipse.lsp4j.Range;
import org.eclipse.lsp4j.TextDocumentIdentifier;
import org.eclipse.lsp4j.TextEdit;
import org.eclipse.lsp4j.services.TextDocumentService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The server through the protocol: an in-process client, real JSON-RPC framing, one feature per test. */
class LspServerTest {
    private static TestClient client;
    private static String sample;
    private static int docs;

    @BeforeAll
    static void start() throws Exception {
        client = TestClient.start(Duration.ofMillis(20));
        sample = Files.readString(TestModels.root().resolve("samples/fashion_cnn_bn.nn"));
    }

    @AfterAll
    static void stop() throws Exception {
        assertEquals(0, client.shutdown());
        client.close();
    }

    private static TextDocumentService text() {
        return client.server().getTextDocumentService();
    }

    /** Opens a new document and waits for its first diagnostics. */
    private static String open(String body) throws Exception {
        String uri = TestModels.root().resolve("samples/lsp_test_" + (++docs) + ".nn").toUri().toString();
        client.open(uri, body);
        client.awaitDiagnostics(uri, 1, 30_000);
        return uri;
    }

    private static Position at(String body, String marker, int plus) {
        int offset = body.indexOf(marker) + plus;
        assertTrue(offset >= plus, () -> "no '" + marker + "' in the text");
        SourceFile s = new SourceFile("", body);
        return new Position(s.line(offset) - 1, s.column(offset) - 1);
    }

    private static String hover(String uri, Position p) throws Exception {
        var h = text().hover(new HoverParams(new TextDocumentIdentifier(uri), p)).get(30, TimeUnit.SECONDS);
        return h == null ? null : h.getContents().getRight().getValue();
    }

    @Test
    void diagnosticsAreCheckSMessagesAtCheckSRanges() throws Exception {
        String broken = sample.replace("-> flatten ", "").replace("batchnorm -> relu\n}", "batchnorm -> rellu\n}");
        String uri = open(broken);
        List<Diagnostic> got = client.awaitDiagnostics(uri, 1, 1).params().getDiagnostics();
        CompileResult check = NncCompiler.check(new SourceFile(Path.of(java.net.URI.create(uri)).toString(), broken));
        assertFalse(check.diagnostics().isEmpty());
        assertEquals(check.diagnostics().size(), got.size());
        SourceFile src = check.source();
        for (int i = 0; i < got.size(); i++) {
            var want = check.diagnostics().get(i);
            Diagnostic d = got.get(i);
            assertEquals(want.message(), d.getMessage().getLeft().lines().findFirst().orElseThrow());
            if (want.hint() != null) {
                assertTrue(d.getMessage().getLeft().endsWith("hint: " + want.hint()), d.getMessage().getLeft());
            }
            assertEquals(src.line(want.span().start()) - 1, d.getRange().getStart().getLine());
            assertEquals(src.column(want.span().start()) - 1, d.getRange().getStart().getCharacter());
            assertEquals(src.column(want.span().end()) - 1, d.getRange().getEnd().getCharacter());
        }
    }

    /** The hover at {@code marker} (+ {@code plus} characters) contains every one of {@code parts}. */
    private static void assertHover(String uri, String body, String marker, int plus, String... parts) throws Exception {
        String h = hover(uri, at(body, marker, plus));
        for (String part : parts) {
            assertTrue(h != null && h.contains(part), () -> "hover at '" + marker + "' lacks '" + part + "':\n" + h);
        }
    }

    @Test
    void hoverShowsOutputShapeParametersAndFlops() throws Exception {
        String uri = open(sample);
        // 64 x 7 x 7 = 3136 inputs: 3136 x 128 weights + 128 biases; 2 FLOPs per weight + the bias add
        assertHover(uri, sample, "linear(128)", 2, "linear(units",
                "**linear_1** → `[128]` · 401,536 params · 803 k FLOPs per sample");
        assertHover(uri, sample, "ConvBn(64)", 1, "block ConvBn(c)", "**ConvBn_3** → `[64, 14, 14]`");
        assertHover(uri, sample, "conv2d(c", 1, "ConvBn_1: **conv2d_1** → `[32, 28, 28]` · 320 params",
                "ConvBn_3: **conv2d_3** → `[64, 14, 14]`");
        assertHover(uri, sample, "x -> ConvBn(32)", 0, "`[1, 28, 28]`");
        assertHover(uri, sample, "BnCnn(p", 1, "`[1, 28, 28]` → `[10]`");
    }

    @Test
    void hoverKnowsTheShapesBeforeAShapeError() throws Exception {
        String broken = sample.replace("-> flatten ", "");
        String uri = open(broken);
        assertHover(uri, broken, "maxpool(2)                    :", 1, "**maxpool_2** → `[64, 7, 7]`");
        assertHover(uri, broken, "linear(128)", 1, "no shape");
    }

    @Test
    void definitionJumpsToBlocksValuesAndParameters() throws Exception {
        String body = sample.replace("-> dropout(p)", "-> dropout(p)\n    y = x -> flatten\n    y -> relu");
        String uri = open(body);
        assertEquals(at(body, "ConvBn(c)", 0), definition(uri, at(body, "ConvBn(64)", 3)));
        assertEquals(at(body, "p = 0.3", 0), definition(uri, at(body, "dropout(p)", 8)));
        assertEquals(at(body, "y = x", 0), definition(uri, at(body, "y -> relu", 0)));
        assertEquals(at(body, "fashion = idx", 0), definition(uri, at(body, "on fashion", 4)));
        assertEquals(at(body, "BnCnn(p", 0), definition(uri, at(body, "train BnCnn", 7)));
    }

    private static Position definition(String uri, Position p) throws Exception {
        List<? extends Location> l = text().definition(new DefinitionParams(new TextDocumentIdentifier(uri), p))
                .get(30, TimeUnit.SECONDS).getLeft();
        assertEquals(1, l.size(), () -> "definitions at " + p + ": " + l);
        return l.get(0).getRange().getStart();
    }

    @Test
    void completesLayersBlocksArgumentsAndValues() throws Exception {
        String body = sample.replace("-> linear(10)", "-> linear(10) -> ");
        String uri = open(body);
        List<String> afterArrow = complete(uri, at(body, "linear(10) -> ", 14));
        assertTrue(afterArrow.containsAll(List.of("linear", "conv2d", "relu", "maxpool", "ConvBn")), afterArrow::toString);
        assertFalse(afterArrow.contains("concat"), afterArrow::toString);
        List<String> args = complete(uri, at(body, "conv2d(c, 3, ", 13));
        assertTrue(args.containsAll(List.of("stride:", "bias:", "init:", "c")), args::toString);
        assertFalse(args.contains("pad:"), "pad is given already: " + args);
        assertTrue(complete(uri, at(body, "pad: same", 5)).containsAll(List.of("same", "valid")));
        List<String> statement = complete(uri, at(body, "    x -> ConvBn(32)", 4));
        assertTrue(statement.containsAll(List.of("input", "x", "concat")), statement::toString);
        assertTrue(complete(uri, new Position(0, 0)).contains("model"));
    }

    private static List<String> complete(String uri, Position p) throws Exception {
        return text().completion(new CompletionParams(new TextDocumentIdentifier(uri), p)).get(30, TimeUnit.SECONDS)
                .getRight().getItems().stream().map(CompletionItem::getLabel).toList();
    }

    @Test
    void listsSymbolsAndShowsShapesAsInlayHints() throws Exception {
        String body = sample.replace("      -> linear(10)", "      -> linear(10) -> softmax");
        String uri = open(body);
        List<DocumentSymbol> symbols = text().documentSymbol(new DocumentSymbolParams(new TextDocumentIdentifier(uri)))
                .get(30, TimeUnit.SECONDS).stream().map(e -> e.getRight()).toList();
        assertEquals(List.of("ConvBn", "BnCnn", "fashion", "BnCnn"), symbols.stream().map(DocumentSymbol::getName).toList());
        assertEquals("[1, 28, 28] → [10], 431,914 params", symbols.get(1).getDetail());
        assertEquals(List.of("p", "x"), symbols.get(1).getChildren().stream().map(DocumentSymbol::getName).toList());
        List<InlayHint> hints = text().inlayHint(new InlayHintParams(new TextDocumentIdentifier(uri),
                new Range(new Position(0, 0), new Position(100, 0)))).get(30, TimeUnit.SECONDS);
        List<String> labels = hints.stream().map(h -> h.getPosition().getLine() + ":" + h.getLabel().getLeft()).toList();
        assertEquals(List.of("4:[32, 28, 28] | [64, 14, 14]", "11:[128]", "12:[10]"), labels);
    }

    @Test
    void formatsIndentationOnly() throws Exception {
        String messy = sample.replace("    input x\n", "  input x   \n").replace("      -> linear(10)", "->   linear(10)")
                .replace("    loss ", "\tloss ");
        String uri = open(messy);
        List<? extends TextEdit> edits = text().formatting(new DocumentFormattingParams(new TextDocumentIdentifier(uri),
                new FormattingOptions(4, true))).get(30, TimeUnit.SECONDS);
        assertEquals(1, edits.size());
        assertEquals(sample.replace("      -> linear(10)", "      ->   linear(10)"), edits.get(0).getNewText());
    }

    @Test
    void eachFileHasItsOwnDiagnosticsAndClosingClearsThem() throws Exception {
        String bad = open("model M {\n    input x: [4]\n    x -> linear(\n}\n");
        String good = open(sample);
        assertFalse(client.awaitDiagnostics(bad, 1, 1).params().getDiagnostics().isEmpty());
        assertTrue(client.awaitDiagnostics(good, 1, 1).params().getDiagnostics().isEmpty());
        client.close(bad);
        long deadline = System.currentTimeMillis() + 30_000;
        while (client.received(bad).get(client.received(bad).size() - 1).params().getVersion() != null) {
            assertTrue(System.currentTimeMillis() < deadline, "no empty diagnostics after close");
            Thread.sleep(5);
        }
        assertTrue(client.received(bad).get(client.received(bad).size() - 1).params().getDiagnostics().isEmpty());
        assertNotNull(hover(good, at(sample, "relu", 1)));
    }

    @Test
    void fixingTheErrorClearsTheDiagnostics() throws Exception {
        String broken = sample.replace("-> flatten ", "");
        String uri = open(broken);
        assertEquals(1, client.awaitDiagnostics(uri, 1, 1).params().getDiagnostics().size());
        Position p = at(broken, "-> linear(128)", 0);
        client.edit(uri, 2, p, p, "-> flatten ");
        assertTrue(client.awaitDiagnostics(uri, 2, 30_000).params().getDiagnostics().isEmpty());
    }
}
