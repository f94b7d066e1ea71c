package nnc.runtime.train;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;

/**
 * The per-epoch metrics file, one row per epoch as Keras' {@code CSVLogger} writes it:
 * {@code epoch,seconds,train_loss,val_loss,val_accuracy}. Each row is appended and flushed
 * when its epoch ends, so an interrupted run keeps what it measured.
 */
public final class MetricsCsv implements TrainListener {
    public static final String HEADER = "epoch,seconds,train_loss,val_loss,val_accuracy";
    private final Path file;
    private IOException failure;

    public MetricsCsv(Path file) throws IOException {
        this.file = file;
        Path dir = file.toAbsolutePath().getParent();
        if (dir != null) {
            Files.createDirectories(dir);
        }
        Files.writeString(file, HEADER + "\n");
    }

    public static String row(EpochResult r) {
        return String.format(Locale.ROOT, "%d,%.3f,%.6f,%.6f,%s", r.epoch(), r.seconds(), r.trainLoss(),
                r.valLoss(), Double.isNaN(r.valAccuracy()) ? "" : String.format(Locale.ROOT, "%.6f", r.valAccuracy()));
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
}
