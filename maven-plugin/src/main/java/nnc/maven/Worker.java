package nnc.maven;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.maven.artifact.Artifact;
import org.apache.maven.execution.MavenSession;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.descriptor.PluginDescriptor;
import org.apache.maven.plugin.logging.Log;
import org.apache.maven.toolchain.Toolchain;
import org.apache.maven.toolchain.ToolchainManager;

/**
 * Runs {@code nnc.maven.worker.Generate} in Maven's JVM when that is Java 21 or later, else in a
 * forked JVM (the {@code jdk} toolchain's {@code java}, or {@code JAVA_HOME}'s), and reads
 * back the lines it prints.
 */
final class Worker {
    static final String WORKER = "nnc.maven.worker.Generate";
    static final int MIN_JAVA = 21;
    private static final long FORK_TIMEOUT_MINUTES = 10;

    private final PluginDescriptor plugin;
    private final ToolchainManager toolchains;
    private final MavenSession session;
    private final Log log;

    Worker(PluginDescriptor plugin, ToolchainManager toolchains, MavenSession session, Log log) {
        this.plugin = plugin;
        this.toolchains = toolchains;
        this.session = session;
        this.log = log;
    }

    record Generated(Path source, Path java) {
    }

    record Diag(String severity, String file, int line, int column, String message) {
        boolean isError() {
            return severity.equals("error");
        }
    }

    record Result(List<Generated> generated, List<Diag> diagnostics, List<String> text, int errors) {
    }

    Result run(Path outputDir, String packageName, List<Path> files) throws MojoExecutionException {
        String lines = Runtime.version().feature() >= MIN_JAVA ? inProcess(outputDir, packageName, files)
                : forked(outputDir, packageName, files);
        return parse(lines);
    }

    private String inProcess(Path outputDir, String packageName, List<Path> files) throws MojoExecutionException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
            Class<?> worker = Class.forName(WORKER, true, Worker.class.getClassLoader());
            worker.getMethod("run", Path.class, String.class, List.class, PrintStream.class)
                    .invoke(null, outputDir, packageName, files, out);
        } catch (InvocationTargetException e) {
            throw new MojoExecutionException("nnc: internal error (a bug in nnc): " + e.getCause(), e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new MojoExecutionException("nnc: the plugin is incomplete: " + e, e);
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private String forked(Path outputDir, String packageName, List<Path> files) throws MojoExecutionException {
        String java = javaExecutable();
        List<String> cmd = new ArrayList<>(List.of(java, "-cp", classPath(), WORKER, outputDir.toString(), packageName));
        files.forEach(f -> cmd.add(f.toString()));
        log.debug("nnc: " + String.join(" ", cmd));
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(FORK_TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new MojoExecutionException("nnc: the compiler's JVM did not finish in " + FORK_TIMEOUT_MINUTES
                        + " minutes");
            }
            if (out.contains("UnsupportedClassVersionError")) {
                throw new MojoExecutionException("nnc: the compiler needs Java " + MIN_JAVA + " or later, but " + java
                        + " is older. Run Maven on JDK " + MIN_JAVA + "+, or select a jdk toolchain of version "
                        + MIN_JAVA + "+ (maven-toolchains-plugin) before nnc:generate.");
            }
            Result r = parse(out);
            if (p.exitValue() != 0 && r.errors() == 0) {
                throw new MojoExecutionException("nnc: internal error (a bug in nnc; the compiler's JVM exited with "
                        + p.exitValue() + "):\n" + String.join("\n", r.text()));
            }
            return out;
        } catch (IOException e) {
            throw new MojoExecutionException("nnc: cannot start " + java + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MojoExecutionException("nnc: interrupted", e);
        }
    }

    /** The {@code jdk} toolchain's java when the build selected one, else JAVA_HOME's, else Maven's own. */
    private String javaExecutable() {
        Toolchain tc = toolchains == null ? null : toolchains.getToolchainFromBuildContext("jdk", session);
        if (tc != null && tc.findTool("java") != null) {
            return tc.findTool("java");
        }
        String home = System.getenv("JAVA_HOME");
        if (home != null && new File(home, "bin/java").canExecute()) {
            return new File(home, "bin/java").getPath();
        }
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private String classPath() {
        Set<String> cp = new LinkedHashSet<>();
        if (plugin.getPluginArtifact() != null && plugin.getPluginArtifact().getFile() != null) {
            cp.add(plugin.getPluginArtifact().getFile().getPath());
        }
        for (Artifact a : plugin.getArtifacts()) {
            if (a.getFile() != null) {
                cp.add(a.getFile().getPath());
            }
        }
        return String.join(File.pathSeparator, cp);
    }

    static Result parse(String lines) {
        List<Generated> generated = new ArrayList<>();
        List<Diag> diags = new ArrayList<>();
        List<String> text = new ArrayList<>();
        int errors = 0;
        for (String line : lines.split("\n")) {
            String[] f = line.split("\t", -1);
            switch (f[0]) {
                case "JAVA" -> generated.add(new Generated(Path.of(f[1]), Path.of(f[2])));
                case "DIAG" -> {
                    Diag d = new Diag(f[1], f[2], Integer.parseInt(f[3]), Integer.parseInt(f[4]), unescape(f[5]));
                    diags.add(d);
                    errors += d.isError() ? 1 : 0;
                }
                case "TEXT", "FAIL" -> text.add(unescape(f[1]));
                default -> {
                    if (!line.isBlank()) {
                        text.add(line);
                    }
                }
            }
        }
        return new Result(generated, diags, text, errors);
    }

    private static String unescape(String s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length()) {
                char n = s.charAt(++i);
                b.append(n == 't' ? '\t' : n == 'n' ? '\n' : n);
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }
}
