package nnc.compiler.runs;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import nnc.runtime.io.AtomicFile;

/**
 * The {@code .properties}-like text of a run folder's {@code run.properties} and
 * {@code result.properties}: {@code #} comment lines, then one {@code key=value} per line, in a
 * fixed order, without escapes (a value is everything after the first {@code =}; line breaks in
 * values become spaces). Written atomically.
 */
public final class KeyValues {
    private KeyValues() {
    }

    /** The keys and values of {@code file}; a file that is not UTF-8 text is {@link Damaged}, named. */
    public static Map<String, String> read(Path file) throws IOException {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (CharacterCodingException e) {
            throw new Damaged(file, "it is not UTF-8 text");
        }
        Map<String, String> m = new LinkedHashMap<>();
        for (String line : lines) {
            int eq = line.indexOf('=');
            if (!line.startsWith("#") && eq > 0) {
                m.put(line.substring(0, eq).strip(), line.substring(eq + 1).strip());
            }
        }
        return m;
    }

    /** A run file nnc wrote that no longer reads as it wrote it; the message names the file. */
    public static final class Damaged extends IOException {
        private final Path file;

        public Damaged(Path file, String why) {
            super(Runs.display(file) + " is damaged (" + why + ")");
            this.file = file;
        }

        public Path file() {
            return file;
        }
    }

    public static void write(Path file, String comment, Map<String, String> values) throws IOException {
        StringBuilder s = new StringBuilder("# ").append(comment).append('\n');
        values.forEach((k, v) -> s.append(k).append('=').append(v == null ? "" : v.replaceAll("[\\r\\n]+", " "))
                .append('\n'));
        AtomicFile.write(file, s.toString().getBytes(StandardCharsets.UTF_8));
    }
}
