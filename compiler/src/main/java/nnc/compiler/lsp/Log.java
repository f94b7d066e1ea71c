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
