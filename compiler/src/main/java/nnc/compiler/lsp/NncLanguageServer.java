package nnc.compiler.lsp;

import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.eclipse.lsp4j.CompletionOptions;
import org.eclipse.lsp4j.InitializeParams;
import org.eclipse.lsp4j.InitializeResult;
import org.eclipse.lsp4j.PublishDiagnosticsParams;
import org.eclipse.lsp4j.ServerCapabilities;
import org.eclipse.lsp4j.ServerInfo;
import org.eclipse.lsp4j.TextDocumentSyncKind;
import org.eclipse.lsp4j.jsonrpc.Launcher;
import org.eclipse.lsp4j.jsonrpc.messages.ResponseError;
import org.eclipse.lsp4j.jsonrpc.messages.ResponseErrorCode;
import org.eclipse.lsp4j.launch.LSPLauncher;
import org.eclipse.lsp4j.services.LanguageClient;
import org.eclipse.lsp4j.services.LanguageClientAware;
import org.eclipse.lsp4j.services.LanguageServer;
import org.eclipse.lsp4j.services.TextDocumentService;
import org.eclipse.lsp4j.services.WorkspaceService;

/**
 * {@code nnc lsp}: the language server. Diagnostics as you type (debounced), hover with shapes,
 * parameter counts and FLOPs, go to definition, completion, document symbols, formatting and
 * inlay hints with each chain line's shape. Speaks JSON-RPC over the streams it is given
 * (standard input and output for {@code nnc lsp}); logs only to standard error.
 *
 * <pre>
 *   editor ──didOpen/didChange──▶ TextDocuments ──▶ Documents (debounce, 2 check workers)
 *                                                     │ NncCompiler.check → Snapshot
 *   editor ◀──publishDiagnostics──────────────────────┘   (outline, shape index)
 *   editor ──hover/definition/…──▶ TextDocuments ──▶ Hovers, Definitions, Completions,
 *                                                    Symbols, InlayHints, Formatter
 * </pre>
 */
public final class NncLanguageServer implements LanguageServer, LanguageClientAware {
    /** How long the typist must pause before a check; the default of {@code nnc lsp --debounce}. */
    public static final Duration DEFAULT_DEBOUNCE = Duration.ofMillis(150);

    private final Documents docs;
    private final TextDocuments text;
    private volatile LanguageClient client;
    private volatile boolean shutdown;
    private final CompletableFuture<Integer> exited = new CompletableFuture<>();

    public NncLanguageServer(Duration debounce) {
        this.docs = new Documents(debounce, (uri, s) -> {
            LanguageClient c = client;
            if (c != null) {
                c.publishDiagnostics(new PublishDiagnosticsParams(uri, TextDocuments.diagnostics(s), s.version()));
            }
        });
        this.text = new TextDocuments(docs, uri -> {
            LanguageClient c = client;
            if (c != null) {
                c.publishDiagnostics(new PublishDiagnosticsParams(uri, List.of()));
            }
        });
    }

    /**
     * Serves one client on these streams until it sends {@code exit} or closes its end.
     * Returns the exit code: 0 after {@code shutdown}, 1 otherwise (as the protocol says).
     */
    public static int serve(InputStream in, OutputStream out, Duration debounce) {
        NncLanguageServer server = new NncLanguageServer(debounce);
        ExecutorService messages = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "nnc-lsp-io");
            t.setDaemon(true);
            return t;
        });
        Launcher<LanguageClient> launcher = new LSPLauncher.Builder<LanguageClient>()
                .setLocalService(server).setRemoteInterface(LanguageClient.class)
                .setInput(in).setOutput(out).setExecutorService(messages)
                .setExceptionHandler(NncLanguageServer::internalError)
                .create();
        server.connect(launcher.getRemoteProxy());
        var listening = launcher.startListening();
        server.exited.whenComplete((code, e) -> listening.cancel(true));
        try {
            listening.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | java.util.concurrent.CancellationException e) {
            Log.info("connection closed: " + e);
        } finally {
            server.docs.close();
            messages.shutdownNow();
        }
        return server.exited.getNow(server.shutdown ? 0 : 1);
    }

    private static ResponseError internalError(Throwable e) {
        Log.error("a request failed", e);
        return new ResponseError(ResponseErrorCode.InternalError, "nnc lsp: internal error: " + e, null);
    }

    /** Where the log goes (standard error), and whether connection events are logged too. */
    public static void log(java.io.PrintStream err, boolean verbose) {
        Log.to(err, verbose);
    }

    /** Internal errors logged in this JVM (tests assert none). */
    public static int internalErrors() {
        return Log.errors();
    }

    @Override
    public void connect(LanguageClient c) {
        this.client = c;
    }

    @Override
    public CompletableFuture<InitializeResult> initialize(InitializeParams params) {
        ServerCapabilities caps = new ServerCapabilities();
        caps.setTextDocumentSync(TextDocumentSyncKind.Incremental);
        caps.setHoverProvider(true);
        caps.setDefinitionProvider(true);
        caps.setCompletionProvider(new CompletionOptions(false, List.of(">", "(", ",", ":")));
        caps.setDocumentSymbolProvider(true);
        caps.setDocumentFormattingProvider(true);
        caps.setInlayHintProvider(true);
        String version = NncLanguageServer.class.getPackage().getImplementationVersion();
        return CompletableFuture.completedFuture(new InitializeResult(caps,
                new ServerInfo("nnc", version == null ? "0.1.0-dev" : version)));
    }

    @Override
    public CompletableFuture<Object> shutdown() {
        shutdown = true;
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public void exit() {
        exited.complete(shutdown ? 0 : 1);
    }

    @Override
    public TextDocumentService getTextDocumentService() {
        return text;
    }

    @Override
    public WorkspaceService getWorkspaceService() {
        return new WorkspaceService() {
            @Override
            public void didChangeConfiguration(org.eclipse.lsp4j.DidChangeConfigurationParams p) {
            }

            @Override
            public void didChangeWatchedFiles(org.eclipse.lsp4j.DidChangeWatchedFilesParams p) {
            }
        };
    }

    /** Open documents (tests check that closing forgets them). */
    int openDocuments() {
        return docs.size();
    }
}
