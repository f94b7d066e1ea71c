package nnc.runtime.serve;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Runs this command again in a child JVM that has the Vector API. A jar's manifest cannot add
 * {@code jdk.incubator.vector} (only {@code --add-modules} on the command line or in
 * {@code JDK_JAVA_OPTIONS} can), so a plain {@code java -jar model.jar} starts without it. The
 * child is the same {@code java} with the same arguments (JVM options included, from
 * {@link ProcessHandle.Info}) plus {@code --add-modules jdk.incubator.vector}; it shares
 * standard input and output, and its standard error is passed through without the JVM's
 * "Using incubator modules" line. {@value #MARKER} in its environment stops a second relaunch.
 */
final class Relaunch {
    static final String MARKER = "NNC_RELAUNCHED";
    static final String MODULE = "jdk.incubator.vector";

    private Relaunch() {
    }

    /** True when this JVM is the relaunched child. */
    static boolean isChild() {
        return System.getenv(MARKER) != null;
    }

    /**
     * Runs the child and returns its exit code, or empty when no child could be started (the
     * caller then continues in this JVM on the scalar kernels).
     */
    static Optional<Integer> run(String[] args, PrintStream err) {
        List<String> command = command(args);
        if (command == null) {
            return Optional.empty();
        }
        ProcessBuilder pb = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.INHERIT)
                .redirectOutput(ProcessBuilder.Redirect.INHERIT);
        pb.environment().put(MARKER, "1");
        Process child;
        try {
            child = pb.start();
        } catch (IOException e) {
            return Optional.empty();
        }
        Thread copy = new Thread(() -> passStderr(child.getErrorStream(), err), "nnc-stderr");
        copy.start();
        while (true) {
            try {
                int code = child.waitFor();
                copy.join();
                return Optional.of(code);
            } catch (InterruptedException e) {
                child.destroy();
            }
        }
    }

    /** This JVM's command line with the module added, or null when it cannot be known or the JDK lacks the module. */
    private static List<String> command(String[] args) {
        if (java.lang.module.ModuleFinder.ofSystem().find(MODULE).isEmpty()) {
            return null;
        }
        ProcessHandle.Info info = ProcessHandle.current().info();
        Optional<String> java = info.command();
        Optional<String[]> original = info.arguments();
        List<String> cmd = new ArrayList<>();
        if (java.isPresent() && original.isPresent() && endsWith(original.get(), args)) {
            cmd.add(java.get());
            cmd.add("--add-modules");
            cmd.add(MODULE);
            cmd.addAll(List.of(original.get()));
            return cmd;
        }
        Path home = Path.of(System.getProperty("java.home"), "bin", "java");
        String classPath = System.getProperty("java.class.path");
        if (classPath == null || classPath.isEmpty()) {
            return null;
        }
        cmd.addAll(List.of(home.toString(), "--add-modules", MODULE, "-cp", classPath, ModelMain.class.getName()));
        cmd.addAll(List.of(args));
        return cmd;
    }

    /** True when the process's own argument list ends with the program's arguments (as it should). */
    private static boolean endsWith(String[] all, String[] tail) {
        if (all.length < tail.length) {
            return false;
        }
        for (int i = 0; i < tail.length; i++) {
            if (!all[all.length - tail.length + i].equals(tail[i])) {
                return false;
            }
        }
        return true;
    }

    private static void passStderr(InputStream in, PrintStream err) {
        try (in) {
            byte[] head = new byte[256];
            int n = 0;
            int r;
            while (n < head.length && (r = in.read()) >= 0) {
                head[n++] = (byte) r;
                if (r == '\n') {
                    break;
                }
            }
            String first = new String(head, 0, n, StandardCharsets.UTF_8);
            if (!first.startsWith("WARNING: Using incubator modules")) {
                err.print(first);
            }
            byte[] buf = new byte[8192];
            while ((r = in.read(buf)) >= 0) {
                err.write(buf, 0, r);
                err.flush();
            }
        } catch (IOException e) {
            // the child has gone; nothing more to pass on
        }
        err.flush();
    }
}
