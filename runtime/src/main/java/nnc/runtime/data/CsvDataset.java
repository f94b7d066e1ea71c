package nnc.runtime.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Numbers in a CSV file, one sample per row: the features, then {@code targets} target
 * columns. A first row that is not all numbers is a header. Lines starting with {@code #}
 * are comments. Every value must be a finite number a float can hold; a row of the wrong
 * width, a word, {@code NaN} or {@code 1e39} is a {@link DataFileException} at its line and
 * column.
 */
public final class CsvDataset {
    /** The largest CSV file read (it is held in memory as floats). */
    public static final long MAX_BYTES = 1L << 30;
    /** The longest line: a longer one is not a row of numbers anyone wrote. */
    static final int MAX_LINE = 1 << 24;

    private CsvDataset() {
    }

    public static Dataset read(Path file, int targets) throws IOException {
        if (Files.size(file) > MAX_BYTES) {
            throw DataFileException.of(file, "the file is larger than " + (MAX_BYTES >> 20) + " MiB; nnc reads CSV "
                    + "files whole");
        }
        var decoder = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        try (Reader r = new java.io.InputStreamReader(Files.newInputStream(file), decoder)) {
            return parse(file, r, targets);
        } catch (CharacterCodingException e) {
            throw DataFileException.of(file, "the file is not UTF-8 text");
        }
    }

    /** Parses CSV text; {@code file} names it in messages. */
    public static Dataset parse(Path file, Reader text, int targets) throws IOException {
        if (targets < 1) {
            throw new IllegalArgumentException("targets must be >= 1, got " + targets);
        }
        BufferedReader in = new BufferedReader(text, 1 << 16);
        List<float[]> rows = new ArrayList<>();
        int width = -1;
        long widthLine = 0;
        long lineNo = 0;
        String line;
        while ((line = readLine(file, in, lineNo + 1)) != null) {
            lineNo++;
            String stripped = line.strip();
            if (stripped.isEmpty() || stripped.startsWith("#")) {
                continue;
            }
            if (rows.isEmpty() && width < 0 && !startsWithNumber(stripped)) {
                width = line.split(",", -1).length; // a header: its width is the table's
                widthLine = lineNo;
                continue;
            }
            float[] row = row(file, lineNo, line);
            if (width >= 0 && row.length != width) {
                throw DataFileException.at(file, lineNo, 1, row.length + " columns, but line " + widthLine + " has "
                        + width);
            }
            if (width < 0) {
                widthLine = lineNo;
            }
            width = row.length;
            rows.add(row);
        }
        if (rows.isEmpty()) {
            throw DataFileException.of(file, "no rows of numbers");
        }
        int features = width - targets;
        if (features < 1) {
            throw DataFileException.at(file, widthLine, 1, width + " columns leave no features for " + targets
                    + " target column" + (targets == 1 ? "" : "s"));
        }
        if ((long) rows.size() * width > Idx.MAX_ELEMENTS) {
            throw DataFileException.of(file, "too many values for one array");
        }
        float[] x = new float[rows.size() * features];
        float[] t = new float[rows.size() * targets];
        boolean classIndices = targets == 1;
        long classes = 0;
        for (int r = 0; r < rows.size(); r++) {
            float[] row = rows.get(r);
            System.arraycopy(row, 0, x, r * features, features);
            System.arraycopy(row, features, t, r * targets, targets);
            if (targets == 1) {
                float v = row[features];
                classIndices &= v >= 0 && v == Math.rint(v) && v < Integer.MAX_VALUE;
                classes = Math.max(classes, (long) v + 1);
            }
        }
        return Dataset.ofFloats(String.valueOf(file.getFileName()), new int[] {features}, x, t, targets,
                classIndices ? (int) classes : 0);
    }

    /** A line, or null at the end; a line longer than {@link #MAX_LINE} is an error, not read whole. */
    private static String readLine(Path file, BufferedReader in, long lineNo) throws IOException {
        StringBuilder b = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0 && c != '\n') {
            if (b.length() == MAX_LINE) {
                throw DataFileException.at(file, lineNo, MAX_LINE, "the line is longer than "
                        + DataFileException.count(MAX_LINE) + " characters");
            }
            b.append((char) c);
        }
        if (c < 0 && b.isEmpty()) {
            return null;
        }
        int end = b.length();
        return end > 0 && b.charAt(end - 1) == '\r' ? b.substring(0, end - 1) : b.toString();
    }

    /** True when a line (stripped) starts like a row of numbers, even bad ones ({@code NaN}, {@code 1e39}): not a header. */
    public static boolean startsWithNumber(String stripped) {
        String first = stripped.split(",", 2)[0].strip();
        return parse(first) != null || first.matches("[-+]?(\\d.*|\\.\\d.*|nan|NaN|inf.*|Inf.*)");
    }

    /** The values of one row, each checked where it stands. */
    private static float[] row(Path file, long lineNo, String line) throws IOException {
        String[] cells = line.split(",", -1);
        float[] row = new float[cells.length];
        int column = 1;
        for (int j = 0; j < cells.length; j++) {
            String cell = cells[j];
            String value = cell.strip();
            int at = column + (cell.length() - cell.stripLeading().length());
            Float v = parse(value);
            if (v == null) {
                throw DataFileException.at(file, lineNo, at, problem(value));
            }
            row[j] = v;
            column += cell.length() + 1;
        }
        return row;
    }

    /** Why {@code value} (stripped), which {@link #parse} refused, is not a value a CSV file may hold. */
    public static String problem(String value) {
        String shown = value.length() > 40 ? value.substring(0, 37) + "..." : value;
        return value.isEmpty() ? "an empty value; expected a number"
                : value.matches("(?i)[-+]?(nan|inf|infinity)") ? "'" + shown + "' is not a finite number"
                : isNumber(value) ? "'" + shown + "' is too large for a float (at most about 3.4e38)"
                : "'" + shown + "' is not a number";
    }

    /** A finite float in decimal notation (stripped), or null ({@link #problem} says why). */
    public static Float parse(String value) {
        if (!isNumber(value)) {
            return null;
        }
        float f = Float.parseFloat(value);
        return Float.isFinite(f) ? f : null;
    }

    /** Decimal notation only: digits with an optional sign, point and exponent; no hex, no 'f' suffix, no NaN. */
    static boolean isNumber(String v) {
        int i = sign(v, 0);
        int whole = digits(v, i);
        i += whole;
        int fraction = 0;
        if (i < v.length() && v.charAt(i) == '.') {
            fraction = digits(v, ++i);
            i += fraction;
        }
        if (whole + fraction == 0) {
            return false;
        }
        if (i < v.length() && (v.charAt(i) == 'e' || v.charAt(i) == 'E')) {
            i = sign(v, i + 1);
            int exponent = digits(v, i);
            if (exponent == 0) {
                return false;
            }
            i += exponent;
        }
        return i == v.length();
    }

    private static int sign(String v, int i) {
        return i < v.length() && (v.charAt(i) == '+' || v.charAt(i) == '-') ? i + 1 : i;
    }

    /** How many ASCII digits start at {@code i}. */
    private static int digits(String v, int i) {
        int n = 0;
        while (i + n < v.length() && v.charAt(i + n) >= '0' && v.charAt(i + n) <= '9') {
            n++;
        }
        return n;
    }
}
