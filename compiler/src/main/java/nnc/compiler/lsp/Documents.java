package nnc.compiler.lsp;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import org.eclipse.lsp4j.TextDocumentContentChangeEvent;

/**
 * The open documents and when they are checked. Opening checks at once; each change restarts
 * a debounce timer and the check runs when the typist pauses, so a fast typist never waits
 * behind checks of text that is already gone. A request that needs the current text's
 * analysis (hover, inlay hints) starts its check at once instead of waiting for the timer.
 * Checks run on two worker threads (with deep stacks for deeply nested text), each document on
 * its own, so one file's errors or slowness never hold back another's diagnostics.
 */
final class Documents implements AutoCloseable {
    private static final long WORKER_STACK = 64L << 20;

    private final Map<String, Document> open = new ConcurrentHashMap<>();
    private final ScheduledThreadPoolExecutor timer;
    private final ExecutorService workers;
    private final Duration debounce;
    private final BiConsumer<String, Snapshot> publish;

    /** @param publish called with each document's newest snapshot, once per revision, in order */
    Documents(Duration debounce, BiConsumer<String, Snapshot> publish) {
        this.debounce = debounce;
        this.publish = publish;
        AtomicInteger n = new AtomicInteger();
        timer = new ScheduledThreadPoolExecutor(1, r -> daemon(r, "nnc-lsp-debounce", 0));
        timer.setRemoveOnCancelPolicy(true);
        workers = new ThreadPoolExecutor(2, 2, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                r -> daemon(r, "nnc-lsp-check-" + n.incrementAndGet(), WORKER_STACK));
    }

    private static Thread daemon(Runnable r, String name, long stack) {
        Thread t = new Thread(null, r, name, stack);
        t.setDaemon(true);
        return t;
    }

    void open(String uri, String text, int version) {
        Document d = new Document(uri, text, version);
        Document old = open.put(uri, d);
        if (old != null) {
            old.close();
        }
        checkAndPublish(d);
    }

    void change(String uri, List<TextDocumentContentChangeEvent> changes, int version) {
        Document d = open.get(uri);
        if (d == null) {
            Log.info("change to a document that is not open: " + uri);
            return;
        }
        d.apply(changes, version);
        d.debounce(timer.schedule(() -> checkAndPublish(d), debounce.toMillis(), TimeUnit.MILLISECONDS));
    }

    void close(String uri) {
        Document d = open.remove(uri);
        if (d != null) {
            d.close();
        }
    }

    /** The document at {@code uri}, or null when it is not open. */
    Document get(String uri) {
        return open.get(uri);
    }

    int size() {
        return open.size();
    }

    /** The check of a document's current text; null when the document is not open. */
    CompletableFuture<Snapshot> current(String uri) {
        Document d = open.get(uri);
        return d == null ? null : d.current(workers);
    }

    private void checkAndPublish(Document d) {
        d.current(workers).thenAccept(s -> {
            if (open.get(d.uri()) == d) {
                d.publishIfCurrent(s, () -> publish.accept(d.uri(), s));
            }
        }).exceptionally(e -> {
            Log.error("publishing diagnostics of " + d.uri() + " failed", e);
            return null;
        });
    }

    @Override
    public void close() {
        timer.shutdownNow();
        workers.shutdownNow();
    }
}
