package nnc.compiler.cli;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * {@code nnc ARGS} in a JVM of its own, its output appended to a log file: how a sweep trains
 * each run, so that a run that fails in any way (an error, a crash, running out of memory)
 * cannot take the others with it, and each run starts from a fresh JIT and heap.
 *
 * <p>The child runs on the same JDK, class path and JVM options (Vector API, heap, GC, system
 * properties) as this process. A Ctrl-C at the terminal reaches both: the child checkpoints and
 * exits 130 by itself. When only this process was asked to stop, the child gets SIGTERM after a
 * grace period, which it handles the same way.
 */
final class ChildRun {
    /** How long a child may take to stop by itself after an interrupt before it is sent SIGTERM. */
    static final long GRACE_MILLIS = Long.getLong("nnc.test.sweepGraceMillis", 5_000);

    private ChildRun() {
    }

    /** The command line that starts nnc in a new JVM, without its arguments. */
    static List<String> javaCommand() {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()) {
            cmd.addAll(List.of("--add-modules", "jdk.incubator.vector"));
        }
        for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (a.startsWith("-XX:") || a.startsWith("-Xm") || a.startsWith("-Xss") || a.startsWith("-D")
                    || a.startsWith("--enable-native-access")) {
                cmd.add(a);
            }
        }
        cmd.add("-Djava.awt.headless=true");
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName()));
        return cmd;
    }

    /**
     * Runs {@code nnc args} to its end, standard output and error appended to {@code log}.
     *
     * @param stop polled while the child runs; once true, the child is given
     *             {@link #GRACE_MILLIS} to stop by itself, then sent SIGTERM
     * @return the child's exit code
     */
    static int run(List<String> args, Path log, BooleanSupplier stop) throws IOException {
        List<String> cmd = new ArrayList<>(javaCommand());
        cmd.addAll(args);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        long stopAt = Long.MAX_VALUE;
        try {
            while (!p.waitFor(200, TimeUnit.MILLISECONDS)) {
                long now = System.currentTimeMillis();
                if (stopAt == Long.MAX_VALUE && stop.getAsBoolean()) {
                    stopAt = now + GRACE_MILLIS;
                } else if (now >= stopAt) {
                    p.destroy(); // SIGTERM: the child checkpoints and exits 130
                    stopAt = Long.MAX_VALUE - 1;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroy();
            throw new IOException("interrupted while waiting for a run", e);
        }
        return p.exitValue();
    }
}
