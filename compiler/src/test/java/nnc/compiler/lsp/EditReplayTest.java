package nnc.compiler.lsp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import nnc.compiler.NncCompiler;
import nnc.compiler.TestModels;
import nnc.compiler.diag.SourceFile;
import org.eclipse.lsp4j.CompletionParams;
import org.eclipse.lsp4j.DefinitionParams;
import org.eclipse.lsp4j.Diagnostic;
import org.eclipse.lsp4j.DocumentSymbolParams;
import org.eclipse.lsp4j.HoverParams;
import org.eclipse.lsp4j.InlayHintParams;
import org.eclipse.lsp4j.Position;
import org.eclipse.lsp4j.Range;
import org.eclipse.lsp4j.TextDocumentIdentifier;
import org.eclipse.lsp4j.services.TextDocumentService;
import org.junit.jupiter.api.Test;

/**
 * Types samples/fashion_cnn_bn.nn into the server from an empty file in 5,000 edits, one
 * character at a time, with random deletions (backspaces, and characters deleted further back
 * and typed again later), with the server's default debounce. A request (hover, completion,
 * definition, symbols, inlay hints) goes with every tenth edit; every 100 edits the typist
 * pauses, and the diagnostics that arrive must be those of {@code nnc check} on the text typed
 * so far. Asserts that every request is answered, nothing in the server throws, and the final
 * diagnostics are check's; prints the median time from the last keystroke to the diagnostics
 * and the heap after the first and the last pause.
 */
class EditReplayTest {
    private static final int EDITS = 5000;
    private static final int PAUSE_EVERY = 100;

    @Test
    void fiveThousandEditsTypeTheSampleAndEndWithCheckSDiagnostics() throws Exception {
        String target = Files.readString(TestModels.root().resolve("samples/fashion_cnn_bn.nn"));
        String uri = TestModels.root().resolve("samples/replay_fashion_cnn_bn.nn").toUri().toString();
        String path = java.nio.file.Path.of(java.net.URI.create(uri)).toString();
        Typist typist = new Typist(target, EDITS, new Random(16));
        int errorsBefore = NncLanguageServer.internalErrors();
        List<CompletableFuture<?>> requests = new ArrayList<>();
        List<Long> latencies = new ArrayList<>();
        long heapFirst = -1;
        long heapLast = -1;
        Random pick = new Random(7);
        try (TestClient client = TestClient.start(NncLanguageServer.DEFAULT_DEBOUNCE)) {
            TextDocumentService text = client.server().getTextDocumentService();
            client.open(uri, "");
            client.awaitDiagnostics(uri, 1, 30_000);
            for (int version = 2; version <= EDITS + 1; version++) {
                String before = typist.text();
                Typist.Edit e = typist.next();
                client.edit(uri, version, position(before, e.start()), position(before, e.end()), e.insert());
                long sent = System.nanoTime();
                String now = typist.text();
                if (version % 10 == 0) {
                    requests.add(request(text, uri, version / 10 % 5, position(now, pick.nextInt(now.length() + 1))));
                }
                if (version % PAUSE_EVERY == 0 || version == EDITS + 1) {
                    TestClient.Published p = client.awaitDiagnostics(uri, version, 60_000);
                    latencies.add(TimeUnit.NANOSECONDS.toMicros(p.nanos() - sent));
                    assertEquals(expected(path, now), summary(p.params().getDiagnostics()), "at edit " + (version - 1));
                    if (heapFirst < 0 || version == EDITS + 1) {
                        long heap = usedHeapAfterGc();
                        heapFirst = heapFirst < 0 ? heap : heapFirst;
                        heapLast = heap;
                    }
                }
            }
            assertEquals(target, typist.text());
            for (CompletableFuture<?> r : requests) {
                r.get(60, TimeUnit.SECONDS);
            }
            assertEquals(0, client.shutdown());
        }
        assertEquals(errorsBefore, NncLanguageServer.internalErrors(), "internal errors were logged (see stderr)");
        List<Long> sorted = latencies.stream().sorted().toList();
        System.out.printf("edit replay: %d edits (%d typed, %d deleted), %d requests answered; last keystroke to "
                        + "diagnostics over %d pauses: median %.1f ms (min %.1f, max %.1f; debounce %d ms); "
                        + "heap after GC %.1f MiB at the first pause, %.1f MiB at the last%n",
                EDITS, typist.typed, typist.deleted, requests.size(), sorted.size(), sorted.get(sorted.size() / 2) / 1e3,
                sorted.get(0) / 1e3, sorted.get(sorted.size() - 1) / 1e3, NncLanguageServer.DEFAULT_DEBOUNCE.toMillis(),
                heapFirst / 1048576.0, heapLast / 1048576.0);
        assertTrue(heapLast - heapFirst < 64L << 20, "the heap grew by more than 64 MiB over the edits");
    }

    private static CompletableFuture<?> request(TextDocumentService text, String uri, int kind, Position p) {
        TextDocumentIdentifier doc = new TextDocumentIdentifier(uri);
        return switch (kind) {
            case 0 -> text.hover(new HoverParams(doc, p));
            case 1 -> text.completion(new CompletionParams(doc, p));
            case 2 -> text.definition(new DefinitionParams(doc, p));
            case 3 -> text.documentSymbol(new DocumentSymbolParams(doc));
            default -> text.inlayHint(new InlayHintParams(doc, new Range(new Position(0, 0), new Position(1000, 0))));
        };
    }

    /** Check's diagnostics of a text as "line:col-line:col message" (first line of the message). */
    private static List<String> expected(String path, String text) {
        SourceFile src = new SourceFile(path, text);
        List<String> out = new ArrayList<>();
        for (var d : NncCompiler.check(src).diagnostics()) {
            int start = Math.min(d.span().isKnown() ? d.span().start() : 0, text.length());
            int end = Math.min(d.span().isKnown() ? Math.max(start, d.span().end()) : 0, text.length());
            out.add((src.line(start) - 1) + ":" + (src.column(start) - 1) + "-" + (src.line(end) - 1) + ":"
                    + (src.column(end) - 1) + " " + d.message());
        }
        return out;
    }

    private static List<String> summary(List<Diagnostic> ds) {
        return ds.stream().map(d -> d.getRange().getStart().getLine() + ":" + d.getRange().getStart().getCharacter() + "-"
                + d.getRange().getEnd().getLine() + ":" + d.getRange().getEnd().getCharacter() + " "
                + d.getMessage().getLeft().lines().findFirst().orElse("")).toList();
    }

    private static Position position(String text, int offset) {
        SourceFile s = new SourceFile("", text);
        return new Position(s.line(offset) - 1, s.column(offset) - 1);
    }

    private static long usedHeapAfterGc() throws InterruptedException {
        Runtime rt = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(50);
        }
        return rt.totalMemory() - rt.freeMemory();
    }

    /**
     * Types a target text in exactly {@code edits} edits: the next character at the cursor,
     * backspace, a character (or two) deleted further back, or such a gap typed again. The
     * text is always the target's characters at the {@code present} indices, all before the
     * cursor {@code k}.
     */
    static final class Typist {
        record Edit(int start, int end, String insert) {
        }

        private final String target;
        private final Random random;
        private final TreeSet<Integer> present = new TreeSet<>();
        private int k;
        private int remaining;
        int typed;
        int deleted;

        Typist(String target, int edits, Random random) {
            this.target = target;
            this.random = random;
            this.remaining = edits;
            if ((edits - target.length()) % 2 != 0 || edits < target.length()) {
                throw new IllegalArgumentException("edits - length must be even and >= 0: " + target.length());
            }
        }

        String text() {
            StringBuilder b = new StringBuilder();
            present.forEach(i -> b.append(target.charAt(i)));
            return b.toString();
        }

        private int missing() {
            return target.length() - present.size();
        }

        Edit next() {
            remaining--;
            boolean canDelete = remaining - (missing() + 1) >= 0 && !present.isEmpty();
            if (canDelete && (missing() == 0 || random.nextDouble() < 0.4)) {
                deleted++;
                int last = present.last();
                int j = last;
                if (present.size() > 3 && random.nextDouble() < 0.3) {
                    // a character further back: a gap typed again later
                    List<Integer> earlier = new ArrayList<>(present.headSet(last));
                    j = earlier.get(random.nextInt(earlier.size()));
                }
                int at = present.headSet(j).size();
                present.remove(j);
                if (j == last) {
                    k = j;
                }
                return new Edit(at, at + 1, "");
            }
            typed++;
            List<Integer> holes = new ArrayList<>();
            for (int i = 0; i < k && holes.size() < 64; i++) {
                if (!present.contains(i)) {
                    holes.add(i);
                }
            }
            int j = !holes.isEmpty() && (k == target.length() || random.nextDouble() < 0.3)
                    ? holes.get(random.nextInt(holes.size())) : k++;
            int at = present.headSet(j).size();
            present.add(j);
            return new Edit(at, at, String.valueOf(target.charAt(j)));
        }
    }
}
