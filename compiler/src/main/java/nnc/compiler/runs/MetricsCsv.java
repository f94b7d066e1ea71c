package nnc.compiler.runs;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import nnc.runtime.io.AtomicFile;
import nnc.runtime.train.EpochResult;
import nnc.runtime.train.TrainListener;

/**
 * The per-epoch metrics file, one row per epoch as Keras' {@code CSVLogger} writes it:
 * {@code epoch,seconds,train_loss,train_accuracy,val_loss,val_accuracy,lr}. An empty field is
 * a figure the run does not have (accuracy of a regression, validation without a validation
 * set). Each row is appended and flushed when its epoch ends, so an interrupted run keeps what
 * it measured. A resumed run starts the file again (atomically) from the rows its checkpoint
 * holds, so a row appended after the checkpoint, or torn by a kill, is not repeated.
 */
public final class MetricsCsv implements TrainListener {
    public static final String HEADER = "epoch,seconds,train_loss,train_accuracy,val_loss,val_accuracy,lr";
    private static final List<String> COLUMNS = List.of(HEADER.split(","));
    private final Path file;
    private IOException failure;

    /** Starts {@code file} with the header and the rows of {@code history} (a resumed run's epochs). */
    public MetricsCsv(Path file, List<EpochResult> history) throws IOException {
        this.file = file;
        StringBuilder s = new StringBuilder(HEADER).append('\n');
        for (EpochResult r : history) {
            s.append(row(r)).append('\n');
        }
        AtomicFile.write(file, s.toString().getBytes(StandardCharsets.UTF_8));
    }

    public static String row(EpochResult r) {
        return String.format(Locale.ROOT, "%d,%.3f,%s,%s,%s,%s,%s", r.epoch(), r.seconds(), number(r.trainLoss()),
                number(r.trainAccuracy()), number(r.valLoss()), number(r.valAccuracy()),
                Float.isNaN(r.learningRate()) ? ""
                        : new java.math.BigDecimal(Float.toString(r.learningRate())).stripTrailingZeros().toPlainString());
    }

    private static String number(double v) {
        return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%.6f", v);
    }

    @Override
    public void epochEnd(EpochResult r) {
        try {
            Files.writeString(file, row(r) + "\n", StandardOpenOption.APPEND);
        } catch (IOException e) {
            failure = e;
        }
    }

    /** The first write error, if any (training goes on; the caller reports it). */
    public IOException failure() {
        return failure;
    }

    /**
     * The rows of a metrics file, by its header's column names (a missing column or an empty
     * field reads as NaN; files written before {@code train_accuracy} and {@code lr} existed read
     * too). A torn last line, as a kill leaves it, is skipped.
     *
     * @throws IOException when the file cannot be read or has no {@code epoch} column
     */
    public static List<EpochResult> read(Path file) throws IOException {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new IOException("not UTF-8 text (the file is damaged)", e); // callers name the file
        }
        if (lines.isEmpty()) {
            throw new IOException(file + ": empty (expected the header " + HEADER + ")");
        }
        List<String> header = Arrays.asList(lines.get(0).strip().split(",", -1));
        int[] at = COLUMNS.stream().mapToInt(header::indexOf).toArray();
        if (at[0] != 0) {
            throw new IOException(file + ":1: not a metrics file (expected the header " + HEADER + ")");
        }
        List<EpochResult> rows = new ArrayList<>();
        for (int i = 1; i < lines.size(); i++) {
            String[] f = lines.get(i).strip().split(",", -1);
            if (f.length != header.size()) {
                continue; // a row torn by a kill
            }
            try {
                rows.add(new EpochResult((int) field(f, at[0]), field(f, at[1]), field(f, at[2]), field(f, at[3]),
                        field(f, at[4]), field(f, at[5]), (float) field(f, at[6]), 0));
            } catch (NumberFormatException e) {
                throw new IOException(file + ":" + (i + 1) + ": not a number (" + e.getMessage() + ")");
            }
        }
        return rows;
    }

    private static double field(String[] f, int column) {
        return column < 0 || f[column].isEmpty() ? Double.NaN : Double.parseDouble(f[column]);
    }
}
