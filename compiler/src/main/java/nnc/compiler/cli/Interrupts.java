package nnc.compiler.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Ctrl-C (SIGINT) and SIGTERM during training. The first asks the epoch loop to stop after the
 * step in progress, write a checkpoint and say how to resume; the second halts the process at
 * once (the last checkpoint is whole: checkpoints are replaced atomically). Once the last step
 * has been taken ({@link #tooLateToStop}) the first signal stops nothing and says so. The previous
 * handlers come back on {@link #close()}.
 *
 * <p>Java has no public signal API; {@code sun.misc.Signal} (module {@code jdk.unsupported},
 * resolved by default) is the one that lets a program run on after a signal. A shutdown hook
 * cannot: the JVM is already exiting and ignores a second Ctrl-C while the hook runs.
 */
final class Interrupts implements AutoCloseable {
    /** The exit code of an interrupted run (128 + SIGINT), for SIGTERM as well. */
    static final int EXIT = 130;

    private final AtomicBoolean requested = new AtomicBoolean();
    private final List<Signal> signals = new ArrayList<>();
    private final List<SignalHandler> previous = new ArrayList<>();
    private final PrintStream err;
    private volatile String what;

    private Interrupts(PrintStream err, String what) {
        this.err = err;
        this.what = what;
    }

    /**
     * Handles INT and TERM until closed; where the JVM does not allow it (-Xrs), stops nothing.
     *
     * @param next what the user does after a second signal stopped the process at once
     *             ({@code resume with: ./nnc train ...})
     */
    static Interrupts install(PrintStream err, String next) {
        return install(err, "stopping after this step to write a checkpoint", next);
    }

    /** The same, saying {@code what} happens after the first signal. */
    static Interrupts install(PrintStream err, String what, String next) {
        Interrupts in = new Interrupts(err, what);
        SignalHandler handler = sig -> {
            if (in.requested.getAndSet(true)) {
                err.println("\nnnc: stopped at once (the last checkpoint is kept)\nnnc: " + next);
                err.flush();
                Runtime.getRuntime().halt(EXIT);
            }
            err.println("\nnnc: " + sig.getName() + ": " + in.what + " (Ctrl-C again stops at once)");
            err.flush();
        };
        for (String name : new String[] {"INT", "TERM"}) {
            try {
                Signal s = new Signal(name);
                in.previous.add(Signal.handle(s, handler));
                in.signals.add(s);
            } catch (IllegalArgumentException e) {
                // the signal is reserved (-Xrs) or unknown on this system
            }
        }
        return in;
    }

    /**
     * From now on there is nothing to stop: a first signal says {@code what} and the command goes
     * on. A signal that came before, too late to stop the work, is corrected now with {@code late}.
     */
    void tooLateToStop(String what, String late) {
        this.what = what;
        if (requested()) {
            err.println("nnc: " + late);
        }
    }

    boolean requested() {
        return requested.get();
    }

    @Override
    public void close() {
        for (int i = 0; i < signals.size(); i++) {
            Signal.handle(signals.get(i), previous.get(i));
        }
    }
}
