package nnc.compiler.lsp;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.Supplier;
import nnc.compiler.diag.Diagnostic.Severity;
import nnc.compiler.diag.SourceFile;
import nnc.compiler.diag.Span;
import org.eclipse.lsp4j.CompletionItem;
import org.eclipse.lsp4j.CompletionList;
import org.eclipse.lsp4j.CompletionParams;
import org.eclipse.lsp4j.DefinitionParams;
import org.eclipse.lsp4j.Diagnostic;
import org.eclipse.lsp4j.DiagnosticSeverity;
import org.eclipse.lsp4j.DidChangeTextDocumentParams;
import org.eclipse.lsp4j.DidCloseTextDocumentParams;
import org.eclipse.lsp4j.DidOpenTextDocumentParams;
import org.eclipse.lsp4j.DidSaveTextDocumentParams;
import org.eclipse.lsp4j.DocumentFormattingParams;
import org.eclipse.lsp4j.DocumentSymbol;
import org.eclipse.lsp4j.DocumentSymbolParams;
import org.eclipse.lsp4j.Hover;
import org.eclipse.lsp4j.HoverParams;
import org.eclipse.lsp4j.InlayHint;
import org.eclipse.lsp4j.InlayHintParams;
import org.eclipse.lsp4j.Location;
import org.eclipse.lsp4j.LocationLink;
import org.eclipse.lsp4j.Position;
import org.eclipse.lsp4j.Range;
import org.eclipse.lsp4j.SymbolInformation;
import org.eclipse.lsp4j.TextEdit;
import org.eclipse.lsp4j.jsonrpc.messages.Either;
import org.eclipse.lsp4j.services.TextDocumentService;

/**
 * The text document half of the protocol: keeps {@link Documents} in step with the editor and
 * answers requests from the features. Every handler is guarded: a bug in a feature is logged
 * to standard error and answered with an empty result, never thrown at the connection.
 */
final class TextDocuments implements TextDocumentService {
    private final Documents docs;
    private final java.util.function.Consumer<String> cleared;

    /** @param cleared called with a closed document's URI, to clear its diagnostics in the editor */
    TextDocuments(Documents docs, java.util.function.Consumer<String> cleared) {
        this.docs = docs;
        this.cleared = cleared;
    }

    /** A check's diagnostics in the protocol's terms: the compiler's messages with the hint on a second line. */
    static List<Diagnostic> diagnostics(Snapshot s) {
        List<Diagnostic> out = new ArrayList<>();
        if (s.failure() != null) {
            out.add(new Diagnostic(new Range(new Position(0, 0), new Position(0, 0)), s.failure(),
                    DiagnosticSeverity.Error, "nnc"));
            return out;
        }
        for (nnc.compiler.diag.Diagnostic d : s.result().diagnostics()) {
            String message = d.hint() == null ? d.message() : d.message() + "\nhint: " + d.hint();
            out.add(new Diagnostic(s.range(d.span()), message,
                    d.severity() == Severity.ERROR ? DiagnosticSeverity.Error : DiagnosticSeverity.Warning, "nnc"));
        }
        return out;
    }

    @Override
    public void didOpen(DidOpenTextDocumentParams p) {
        guard("didOpen", () -> docs.open(p.getTextDocument().getUri(), p.getTextDocument().getText(),
                p.getTextDocument().getVersion()));
    }

    @Override
    public void didChange(DidChangeTextDocumentParams p) {
        guard("didChange", () -> docs.change(p.getTextDocument().getUri(), p.getContentChanges(),
                p.getTextDocument().getVersion()));
    }

    @Override
    public void didClose(DidCloseTextDocumentParams p) {
        guard("didClose", () -> {
            docs.close(p.getTextDocument().getUri());
            cleared.accept(p.getTextDocument().getUri());
        });
    }

    @Override
    public void didSave(DidSaveTextDocumentParams p) {
    }

    @Override
    public CompletableFuture<Hover> hover(HoverParams p) {
        return onSnapshot("hover", p.getTextDocument().getUri(), null,
                s -> Hovers.hover(s, s.offset(p.getPosition())));
    }

    @Override
    public CompletableFuture<Either<List<? extends Location>, List<? extends LocationLink>>> definition(
            DefinitionParams p) {
        String uri = p.getTextDocument().getUri();
        return onSnapshot("definition", uri, Either.forLeft(List.of()), s -> {
            Span target = Definitions.definition(s.outline(), s.offset(p.getPosition()));
            return Either.forLeft(target == null ? List.of() : List.of(new Location(uri, s.range(target))));
        });
    }

    @Override
    public CompletableFuture<Either<List<CompletionItem>, CompletionList>> completion(CompletionParams p) {
        Document d = docs.get(p.getTextDocument().getUri());
        List<CompletionItem> items = d == null ? List.of() : guarded("completion", List.of(), () -> {
            Outline o = d.outline();
            return Completions.complete(o, Snapshot.offset(d.text(), p.getPosition()));
        });
        return CompletableFuture.completedFuture(Either.forRight(new CompletionList(false, items)));
    }

    @Override
    public CompletableFuture<List<Either<SymbolInformation, DocumentSymbol>>> documentSymbol(DocumentSymbolParams p) {
        return onSnapshot("documentSymbol", p.getTextDocument().getUri(), List.of(),
                s -> Symbols.symbols(s).stream().map(Either::<SymbolInformation, DocumentSymbol>forRight).toList());
    }

    @Override
    public CompletableFuture<List<InlayHint>> inlayHint(InlayHintParams p) {
        return onSnapshot("inlayHint", p.getTextDocument().getUri(), List.of(),
                s -> InlayHints.hints(s, p.getRange().getStart().getLine(), p.getRange().getEnd().getLine()));
    }

    @Override
    public CompletableFuture<List<? extends TextEdit>> formatting(DocumentFormattingParams p) {
        Document d = docs.get(p.getTextDocument().getUri());
        List<TextEdit> edits = d == null ? List.of() : guarded("formatting", List.of(), () -> {
            String text = d.text();
            String formatted = Formatter.format(text);
            if (formatted.equals(text)) {
                return List.of();
            }
            SourceFile src = new SourceFile("", text);
            Position end = new Position(src.line(text.length()) - 1, src.column(text.length()) - 1);
            return List.of(new TextEdit(new Range(new Position(0, 0), end), formatted));
        });
        return CompletableFuture.completedFuture(edits);
    }

    /** Runs a feature on the check of the document's current text; {@code none} when it is not open or fails. */
    private <T> CompletableFuture<T> onSnapshot(String what, String uri, T none, Function<Snapshot, T> feature) {
        CompletableFuture<Snapshot> s = docs.current(uri);
        if (s == null) {
            return CompletableFuture.completedFuture(none);
        }
        return s.thenApply(snap -> guarded(what, none, () -> feature.apply(snap)));
    }

    private static <T> T guarded(String what, T none, Supplier<T> body) {
        try {
            return body.get();
        } catch (RuntimeException | StackOverflowError e) {
            Log.error(what + " failed", e);
            return none;
        }
    }

    private static void guard(String what, Runnable body) {
        guarded(what, null, () -> {
            body.run();
            return null;
        });
    }
}
