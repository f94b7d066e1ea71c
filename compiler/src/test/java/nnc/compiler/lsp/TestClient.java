package nnc.compiler.lsp;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.eclipse.lsp4j.ClientCapabilities;
import org.eclipse.lsp4j.DidChangeTextDocumentParams;
import org.eclipse.lsp4j.DidCloseTextDocumentParams;
import org.eclipse.lsp4j.DidOpenTextDocumentParams;
import org.eclipse.lsp4j.InitializeParams;
import org.eclipse.lsp4j.InitializedParams;
import org.eclipse.lsp4j.MessageActionItem;
import org.eclipse.lsp4j.MessageParams;
import org.eclipse.lsp4j.Position;
import org.eclipse.lsp4j.PublishDiagnosticsParams;
import org.eclipse.lsp4j.Range;
import org.eclipse.lsp4j.ShowMessageRequestParams;
import org.eclipse.lsp4j.TextDocumentContentChangeEvent;
import org.eclipse.lsp4j.TextDocumentIdentifier;
import org.eclipse.lsp4j.TextDocumentItem;
import org.eclipse.lsp4j.VersionedTextDocumentIdentifier;
import org.eclipse.lsp4j.jsonrpc.Launcher;
import org.eclipse.lsp4j.launch.LSPLauncher;
import org.eclipse.lsp4j.services.LanguageClient;
import org.eclipse.lsp4j.services.LanguageServer;

/**
 * An LSP client in the test's JVM, talking to {@code nnc lsp}'s server over piped streams with
 * the real JSON-RPC framing ({@code Content-Length} headers), as an editor would. Records every
 * diagnostics notification with the time it arrived.
 */
final class TestClient implements LanguageClient, AutoCloseable {
    /** One publishDiagnostics notification and when it arrived. */
    record Published(PublishDiagnosticsParams params, long nanos) {
    }

    private final Map<String, List<Published>> published = new ConcurrentHashMap<>();
    private final CompletableFuture<Integer> exitCode = new CompletableFuture<>();
    private final CompletableFuture<Integer> serverExit;
    private final LanguageServer server;
    private final Pipe toServer = new Pipe();
    private final Pipe toClient = new Pipe();

    private TestClient(Duration debounce) {
        Thread t = new Thread(() -> exitCode.complete(NncLanguageServer.serve(toServer.in, toClient.out, debounce)),
                "test-lsp-server");
        t.setDaemon(true);
        t.start();
        serverExit = exitCode;
        Launcher<LanguageServer> launcher = LSPLauncher.createClientLauncher(this, toClient.in, toServer.out);
        launcher.startListening();
        server = launcher.getRemoteProxy();
    }

    static TestClient start(Duration debounce) throws Exception {
        TestClient c = new TestClient(debounce);
        c.server.initialize(new InitializeParams() {
            {
                setCapabilities(new ClientCapabilities());
            }
        }).get(30, TimeUnit.SECONDS);
        c.server.initialized(new InitializedParams());
        return c;
    }

    LanguageServer server() {
        return server;
    }

    void open(String uri, String text) {
        server.getTextDocumentService().didOpen(new DidOpenTextDocumentParams(new TextDocumentItem(uri, "nn", 1, text)));
    }

    /** Replaces {@code [start, end)} of the current text (incremental sync), as version {@code version}. */
    void edit(String uri, int version, Position start, Position end, String text) {
        server.getTextDocumentService().didChange(new DidChangeTextDocumentParams(
                new VersionedTextDocumentIdentifier(uri, version),
                List.of(new TextDocumentContentChangeEvent(new Range(start, end), text))));
    }

    void replaceAll(String uri, int version, String text) {
        server.getTextDocumentService().didChange(new DidChangeTextDocumentParams(
                new VersionedTextDocumentIdentifier(uri, version), List.of(new TextDocumentContentChangeEvent(text))));
    }

    void close(String uri) {
        server.getTextDocumentService().didClose(new DidCloseTextDocumentParams(new TextDocumentIdentifier(uri)));
    }

    /** Waits for diagnostics of {@code version} (or, with version -1, any new ones after {@code count} received). */
    Published awaitDiagnostics(String uri, int version, long timeoutMillis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        while (System.nanoTime() < deadline) {
            for (Published p : received(uri)) {
                Integer v = p.params().getVersion();
                if (v != null && v == version) {
                    return p;
                }
            }
            Thread.sleep(2);
        }
        throw new AssertionError("no diagnostics for version " + version + " of " + uri + " within " + timeoutMillis
                + " ms; got versions " + received(uri).stream().map(p -> p.params().getVersion()).toList());
    }

    List<Published> received(String uri) {
        List<Published> l = published.get(uri);
        if (l == null) {
            return List.of();
        }
        synchronized (l) {
            return new ArrayList<>(l);
        }
    }

    void forget(String uri) {
        published.remove(uri);
    }

    @Override
    public void publishDiagnostics(PublishDiagnosticsParams p) {
        List<Published> l = published.computeIfAbsent(p.getUri(), k -> new ArrayList<>());
        synchronized (l) {
            l.add(new Published(p, System.nanoTime()));
        }
    }

    @Override
    public void telemetryEvent(Object object) {
    }

    @Override
    public void showMessage(MessageParams m) {
    }

    @Override
    public CompletableFuture<MessageActionItem> showMessageRequest(ShowMessageRequestParams r) {
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public void logMessage(MessageParams m) {
    }

    /** Shuts the server down as an editor does; returns its exit code. */
    int shutdown() throws Exception {
        server.shutdown().get(30, TimeUnit.SECONDS);
        server.exit();
        return serverExit.get(30, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws IOException {
        toServer.out.close();
    }
}
