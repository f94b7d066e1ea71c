package nnc.compiler.lsp;

import java.io.PrintStream;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The server's log: standard error only (standard output carries the protocol). Counts the
 * internal errors it was told about, so tests can assert there were none.
 */
final class Log {
    private static final AtomicInteger ERRORS = new AtomicInteger();
    private static volatile PrintStream err = System.err;
    private static volatile boolean verbose;

    private Log() {
    }

    static void to(PrintStream stream, boolean verboseLog) {
        err = stream;
        verbose = verboseLog;
        java.util.logging.Logger root = java.util.logging.Logger.getLogger("");
        for (java.util.logging.Handler h : root.getHandlers()) {
            root.removeHandler(h);
        }
        root.addHandler(new OneLine());
    }

    /**
     * What the protocol library logs (a malformed message from the editor: a bad header, JSON
     * that does not parse) as one short line, not its stack trace and the raw input.
     */
    private static final class OneLine extends java.util.logging.Handler {
        @Override
        public void publish(java.util.logging.LogRecord r) {
            if (!isLoggable(r) || r.getLevel().intValue() < java.util.logging.Logger.getLogger("").getLevel().intValue()) {
                return;
            }
            String m = r.getThrown() != null && r.getThrown().getMessage() != null ? r.getThrown().getMessage()
                    : String.valueOf(r.getMessage());
            m = m.replaceAll("\\s+", " ").strip();
            boolean protocol = r.getLoggerName() != null && r.getLoggerName().startsWith("org.eclipse.lsp4j.jsonrpc");
            err.println("nnc lsp: " + (protocol ? "ignored a malformed message from the editor: " : "")
                    + (m.length() > 200 ? m.substring(0, 197) + "..." : m));
        }

        @Override
        public void flush() {
            err.flush();
        }

        @Override
        public void close() {
        }
    }

    static void info(String message) {
        if (verbose) {
            err.println("nnc lsp: " + message);
        }
    }

    static void error(String message, Throwable e) {
        ERRORS.incrementAndGet();
        synchronized (Log.class) {
            err.println("nnc lsp: " + message + ": " + e);
            e.printStackTrace(err);
        }
    }

    /** Internal errors since the JVM started. */
    static int errors() {
        return ERRORS.get();
    }
}
