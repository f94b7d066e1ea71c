package nnc.compiler.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import nnc.runtime.io.AtomicFile;
import nnc.runtime.model.CompiledModel;
import nnc.runtime.serve.ModelJar;
import nnc.runtime.serve.JarLauncher;
import nnc.runtime.serve.ModelMain;

/**
 * Writes a model jar: the manifest (main class {@link JarLauncher}, which hands over to
 * {@link ModelMain} on Java 21 or later and explains on an older JVM), the runtime's classes (from
 * the jar or folder this nnc loaded them from), the model's class files, its weights and the
 * descriptor {@link ModelJar} reads. Written through {@link AtomicFile}, so a failed build leaves
 * the previous jar as it was, and a killed one leaves {@code .NAME.tmp}, which the next build
 * of the same jar replaces.
 */
final class JarBuilder {
    private static final String RUNTIME_PREFIX = "nnc/runtime/";

    private JarBuilder() {
    }

    /** @param weights the {@code .nnw} bytes, or null for a model without weights */
    static void write(Path jar, Map<String, byte[]> classFiles, byte[] weights, String weightsEntry,
                      Map<String, String> descriptor, String summary) throws IOException {
        Manifest mf = new Manifest();
        mf.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        mf.getMainAttributes().put(Attributes.Name.MAIN_CLASS, JarLauncher.class.getName());
        mf.getMainAttributes().putValue("Created-By", "nnc build");
        Map<String, byte[]> entries = new TreeMap<>(runtimeClasses());
        classFiles.forEach((name, bytes) -> entries.put(name.replace('.', '/') + ".class", bytes));
        if (weights != null) {
            entries.put(weightsEntry, weights);
        }
        StringBuilder props = new StringBuilder("# Written by nnc build; read by the model jar's main class.\n");
        descriptor.forEach((k, v) -> props.append(k).append('=').append(escape(v)).append('\n'));
        entries.put(ModelJar.DESCRIPTOR, props.toString().getBytes(StandardCharsets.UTF_8));
        entries.put(ModelJar.SUMMARY, summary.getBytes(StandardCharsets.UTF_8));

        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (JarOutputStream out = new JarOutputStream(bytes, mf)) {
            List<String> dirs = new ArrayList<>();
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                addParents(out, e.getKey(), dirs);
                out.putNextEntry(e.getKey().equals(weightsEntry) ? stored(weightsEntry, e.getValue())
                        : new JarEntry(e.getKey()));
                out.write(e.getValue());
                out.closeEntry();
            }
        }
        AtomicFile.write(jar, bytes.toByteArray());
    }

    /**
     * An entry stored without compression: float weights hardly compress (3-8%), and inflating
     * a megabyte took 10-25 ms of a one-image prediction's start.
     */
    private static JarEntry stored(String name, byte[] data) {
        JarEntry e = new JarEntry(name);
        CRC32 crc = new CRC32();
        crc.update(data);
        e.setMethod(JarEntry.STORED);
        e.setSize(data.length);
        e.setCompressedSize(data.length);
        e.setCrc(crc.getValue());
        return e;
    }

    /** Folder entries before the files in them, as jar tools write them. */
    private static void addParents(JarOutputStream out, String name, List<String> done) throws IOException {
        for (int i = name.indexOf('/'); i >= 0; i = name.indexOf('/', i + 1)) {
            String dir = name.substring(0, i + 1);
            if (!done.contains(dir) && !dir.equals("META-INF/")) {
                done.add(dir);
                out.putNextEntry(new JarEntry(dir));
                out.closeEntry();
            }
        }
    }

    /** A properties value on one line ({@link java.util.Properties} escapes). */
    private static String escape(String v) {
        StringBuilder b = new StringBuilder();
        for (char c : v.toCharArray()) {
            switch (c) {
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case ':', '=', '#', '!' -> b.append('\\').append(c);
                default -> b.append(c < 0x7f ? String.valueOf(c) : String.format("\\u%04x", (int) c));
            }
        }
        return b.toString();
    }

    /**
     * What a model jar never runs: the training loop, checkpoints, the
     * benchmark helpers (ModelJarTest runs predict and evaluate from the jar without them).
     */
    private static final List<String> TRAINING_ONLY = List.of("nnc/runtime/train/", "nnc/runtime/bench/",
            "nnc/runtime/io/CheckpointFile");

    private static boolean shipped(String name) {
        return TRAINING_ONLY.stream().noneMatch(name::startsWith);
    }

    /** The runtime's classes a model jar needs, from the jar or the classes folder they were loaded from. */
    static Map<String, byte[]> runtimeClasses() throws IOException {
        Path from;
        try {
            from = Path.of(CompiledModel.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException | SecurityException | NullPointerException e) {
            throw new IllegalStateException("internal error: cannot locate the nnc runtime's classes: " + e, e);
        }
        Map<String, byte[]> out = new TreeMap<>();
        if (Files.isDirectory(from)) {
            try (Stream<Path> files = Files.walk(from.resolve(RUNTIME_PREFIX))) {
                for (Path p : files.filter(Files::isRegularFile).toList()) {
                    out.put(from.relativize(p).toString().replace('\\', '/'), Files.readAllBytes(p));
                }
            }
        } else {
            try (JarFile jar = new JarFile(from.toFile())) {
                for (JarEntry e : jar.stream().filter(e -> e.getName().startsWith(RUNTIME_PREFIX) && !e.isDirectory())
                        .toList()) {
                    try (InputStream in = jar.getInputStream(e)) {
                        out.put(e.getName(), in.readAllBytes());
                    }
                }
            }
        }
        out.keySet().removeIf(name -> !shipped(name));
        if (!out.containsKey(ModelMain.class.getName().replace('.', '/') + ".class")
                || !out.containsKey(JarLauncher.class.getName().replace('.', '/') + ".class")) {
            throw new IllegalStateException("internal error: the nnc runtime's classes were not found in " + from);
        }
        return out;
    }
}
