package nnc.compiler.diag;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import nnc.compiler.Limits;

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

    /** A file that cannot be a .nn source; the message is complete, with the place. */
    public static final class ReadException extends IOException {
        public ReadException(String message) {
            super(message);
        }
    }

    /**
     * Reads a .nn file: at most {@link Limits#MAX_SOURCE_BYTES} (so {@code /dev/zero} is
     * rejected, not read until memory runs out), strict UTF-8 (a bad byte is reported at its
     * line and column), a leading byte-order mark dropped.
     */
    public static SourceFile read(Path file) throws IOException {
        byte[] bytes;
        try (InputStream in = Files.newInputStream(file)) {
            bytes = in.readNBytes(Limits.MAX_SOURCE_BYTES + 1);
        }
        if (bytes.length > Limits.MAX_SOURCE_BYTES) {
            throw new ReadException(file + ": error: the file is larger than " + (Limits.MAX_SOURCE_BYTES >> 20)
                    + " MiB; a .nn file describes a model (large weights belong in a weights file)");
        }
        return decode(file.toString(), bytes);
    }

    /** UTF-8 bytes as a source; a byte-order mark at the start is dropped. */
    public static SourceFile decode(String path, byte[] bytes) throws ReadException {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length);
        CoderResult r = decoder.decode(in, out, true);
        if (!r.isError()) {
            r = decoder.flush(out);
        }
        String text = out.flip().toString();
        if (r.isError()) {
            SourceFile before = new SourceFile(path, text);
            int at = text.length();
            throw new ReadException(path + ":" + before.line(at) + ":" + before.column(at) + ": error: the file is not "
                    + "UTF-8 text: byte 0x" + String.format("%02X", bytes[in.position()] & 0xFF) + " at byte offset "
                    + in.position() + "\n  = hint: save it as UTF-8");
        }
        return new SourceFile(path, text.startsWith("\uFEFF") ? text.substring(1) : text);
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
