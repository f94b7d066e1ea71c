package nnc.compiler.diag;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The text of one .nn file and the one place where character offsets become 1-based line
 * and column numbers.
 */
public final class SourceFile {
    private final String path;
    private final String text;
    private final int[] lineStarts;

    public SourceFile(String path, String text) {
        this.path = path;
        this.text = text;
        List<Integer> starts = new ArrayList<>();
        starts.add(0);
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) == '\n') {
                starts.add(i + 1);
            }
        }
        this.lineStarts = starts.stream().mapToInt(Integer::intValue).toArray();
    }

    public static SourceFile read(Path file) throws IOException {
        return new SourceFile(file.toString(), Files.readString(file));
    }

    public String path() {
        return path;
    }

    public String text() {
        return text;
    }

    /** The file name without folders and without the extension. */
    public String baseName() {
        String name = Path.of(path).getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }

    /** 1-based line of a character offset. */
    public int line(int offset) {
        int lo = 0;
        int hi = lineStarts.length - 1;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (lineStarts[mid] <= offset) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        return lo + 1;
    }

    /** 1-based column of a character offset. */
    public int column(int offset) {
        return offset - lineStarts[line(offset) - 1] + 1;
    }

    /** The text of a 1-based line, without its line break. */
    public String lineText(int line) {
        int start = lineStarts[line - 1];
        int end = line < lineStarts.length ? lineStarts[line] - 1 : text.length();
        if (end > start && text.charAt(end - 1) == '\r') {
            end--;
        }
        return text.substring(start, Math.max(start, end));
    }

    /** {@code path:line:col} of a span's start. */
    public String position(Span span) {
        if (!span.isKnown()) {
            return path;
        }
        int at = Math.min(span.start(), text.length());
        return path + ":" + line(at) + ":" + column(at);
    }

    /** {@code line:col} of a span's start. */
    public String lineColumn(Span span) {
        int at = Math.min(span.start(), text.length());
        return line(at) + ":" + column(at);
    }
}
