package nnc.compiler.lsp;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.Future;
import nnc.compiler.diag.SourceFile;
import org.eclipse.lsp4j.TextDocumentContentChangeEvent;

/**
 * One open document: its text as the editor has it, and its newest check. A revision counts
 * every change; the editor's version number goes out with the diagnostics. Only the newest
 * snapshot and the check of the current revision are kept, so memory does not grow with edits.
 */
final class Document {
    private final String uri;
    private final String path;
    private String text;
    private int revision;
    private int version;
    private Snapshot latest;
    private CompletableFuture<Snapshot> pending;
    private int pendingRevision = -1;
    private int publishedRevision = -1;
    private Future<?> debounce;
    private Outline outline;
    private int outlineRevision = -1;

    Document(String uri, String text, int version) {
        this.uri = uri;
        this.path = pathOf(uri);
        this.text = text;
        this.version = version;
    }

    String uri() {
        return uri;
    }

    /** A file URI's path (messages and relative data paths use it), else the URI itself. */
    static String pathOf(String uri) {
        try {
            URI u = URI.create(uri);
            return "file".equals(u.getScheme()) ? Path.of(u).toString() : uri;
        } catch (RuntimeException e) {
            return uri;
        }
    }

    synchronized String text() {
        return text;
    }

    synchronized int revision() {
        return revision;
    }

    /** Applies the editor's changes in order: ranged ones (incremental sync) or whole texts. */
    synchronized void apply(List<TextDocumentContentChangeEvent> changes, int newVersion) {
        StringBuilder b = new StringBuilder(text);
        for (TextDocumentContentChangeEvent c : changes) {
            if (c.getRange() == null) {
                b.setLength(0);
                b.append(c.getText());
            } else {
                String now = b.toString();
                int start = Snapshot.offset(now, c.getRange().getStart());
                int end = Math.max(start, Snapshot.offset(now, c.getRange().getEnd()));
                b.replace(start, end, c.getText());
            }
        }
        text = b.toString();
        version = newVersion;
        revision++;
    }

    /** The tokens and declarations of the current text (cheap; no check). */
    synchronized Outline outline() {
        if (outlineRevision != revision) {
            outline = latest != null && latest.revision() == revision ? latest.outline() : Outline.of(text);
            outlineRevision = revision;
        }
        return outline;
    }

    /** The check of the current revision: done, running, or started now on {@code workers}. */
    synchronized CompletableFuture<Snapshot> current(Executor workers) {
        if (latest != null && latest.revision() == revision) {
            return CompletableFuture.completedFuture(latest);
        }
        if (pending != null && pendingRevision == revision) {
            return pending;
        }
        int rev = revision;
        int ver = version;
        SourceFile source = new SourceFile(path, text);
        pending = CompletableFuture.supplyAsync(() -> keep(Snapshot.check(rev, ver, source)), workers);
        pendingRevision = rev;
        return pending;
    }

    private synchronized Snapshot keep(Snapshot s) {
        if (latest == null || s.revision() > latest.revision()) {
            latest = s;
        }
        if (pendingRevision == s.revision()) {
            pending = null;
            pendingRevision = -1;
        }
        return s;
    }

    /** Replaces the debounce timer of the next check. */
    synchronized void debounce(Future<?> next) {
        if (debounce != null) {
            debounce.cancel(false);
        }
        debounce = next;
    }

    /**
     * Runs {@code publish} when {@code s} is the current revision and newer than what was
     * published, so diagnostics never go backwards when checks finish out of order.
     */
    synchronized boolean publishIfCurrent(Snapshot s, Runnable publish) {
        if (s.revision() != revision || s.revision() <= publishedRevision) {
            return false;
        }
        publishedRevision = s.revision();
        publish.run();
        return true;
    }

    synchronized void close() {
        debounce(null);
        latest = null;
        pending = null;
        outline = null;
    }
}
