package nnc.compiler.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The nnc command in a JVM of its own, for what cannot happen in process: being killed,
 * signals, another working directory. It runs with the test JVM's class path and Vector API
 * setting (so its kernels round as the in-process reference does), SIGINT and SIGTERM reset
 * to their defaults (a test JVM started in the background may inherit them ignored), and
 * optionally the write-pausing hook of {@code AtomicFile}.
 */
final class TrainProcess implements AutoCloseable {
    private final Process process;
    private final LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final StringBuffer err = new StringBuffer();
    private final StringBuffer out = new StringBuffer();
    private final Thread[] readers = new Thread[2];

    private TrainProcess(Process process) {
        this.process = process;
        readers[0] = pump(process.getErrorStream(), err, true);
        readers[1] = pump(process.getInputStream(), out, false);
    }

    /** Starts {@code nnc ARGS} in {@code dir}; {@code pauseMillis > 0} pauses every file write halfway. */
    static TrainProcess start(Path dir, long pauseMillis, String... args) throws IOException {
        return startWith(dir, pauseMillis > 0 ? List.of("-Dnnc.test.pauseWritesMillis=" + pauseMillis) : List.of(), args);
    }

    /** Starts {@code nnc ARGS} in {@code dir} on a JVM given {@code options} too (system properties, say). */
    static TrainProcess startWith(Path dir, List<String> options, String... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        if (Files.isExecutable(Path.of("/usr/bin/perl"))) {
            cmd.addAll(List.of("/usr/bin/perl", "-e", "$SIG{INT}=$SIG{TERM}='DEFAULT'; exec @ARGV or die"));
        }
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()) {
            cmd.addAll(List.of("--add-modules", "jdk.incubator.vector"));
        }
        cmd.addAll(options);
        // C1 only: these processes live for seconds, and C2's compiler threads would take half
        // the machine; the kernels round the same in every tier (DeterminismTest).
        cmd.addAll(List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
                Main.class.getName()));
        cmd.addAll(List.of(args));
        return new TrainProcess(new ProcessBuilder(cmd).directory(dir.toFile()).start());
    }

    private Thread pump(java.io.InputStream in, StringBuffer all, boolean queue) {
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    all.append(line).append('\n');
                    if (queue) {
                        lines.add(line);
                    }
                }
            } catch (IOException e) {
                // the process died: what was read is kept
            }
        });
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** Waits for a line of standard error that matches; false when the process ended or time ran out. */
    boolean await(Predicate<String> line, long millis) throws InterruptedException {
        long end = System.currentTimeMillis() + millis;
        while (System.currentTimeMillis() < end) {
            String l = lines.poll(50, TimeUnit.MILLISECONDS);
            if (l != null && line.test(l)) {
                return true;
            }
            if (l == null && !process.isAlive() && lines.isEmpty()) {
                return false;
            }
        }
        return false;
    }

    void signal(String name) throws IOException, InterruptedException {
        new ProcessBuilder("kill", "-" + name, String.valueOf(process.pid())).start().waitFor();
    }

    /** SIGKILL, and waits until the process is gone. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    int waitFor(long seconds) throws InterruptedException {
        if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("nnc did not end in " + seconds + " s\n" + err);
        }
        for (Thread t : readers) {
            t.join(5000);
        }
        return process.exitValue();
    }

    String err() {
        return err.toString();
    }

    String out() {
        return out.toString();
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }
}
