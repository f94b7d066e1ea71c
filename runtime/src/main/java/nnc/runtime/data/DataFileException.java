package nnc.runtime.data;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A data file that is damaged or does not say what it claims: the message names the file and
 * the place of the first problem, a byte offset ({@code file: byte 16: ...}) or a line and
 * column ({@code file:12:5: ...}), and says what was expected.
 */
public final class DataFileException extends IOException {
    private final Path file;

    private DataFileException(Path file, String message) {
        super(message);
        this.file = file;
    }

    /** A problem at a byte offset. */
    public static DataFileException at(Path file, long offset, String problem) {
        return new DataFileException(file, file + ": byte " + offset + ": " + problem);
    }

    /** A problem at a line and column (1-based) of a text file. */
    public static DataFileException at(Path file, long line, int column, String problem) {
        return new DataFileException(file, file + ":" + line + ":" + column + ": " + problem);
    }

    /** A problem with the file as a whole (its size, its name). */
    public static DataFileException of(Path file, String problem) {
        return new DataFileException(file, file + ": " + problem);
    }

    public Path file() {
        return file;
    }

    /** {@code 1,234,567}, as sizes are written in messages. */
    static String count(long n) {
        return String.format(java.util.Locale.ROOT, "%,d", n);
    }
}
