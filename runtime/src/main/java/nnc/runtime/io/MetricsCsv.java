package nnc.runtime.io;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Locale;
import nnc.runtime.train.EpochResult;
import nnc.runtime.train.TrainListener;

/**
 * The per-epoch metrics file, one row per epoch as Keras' {@code CSVLogger} writes it:
 * {@code epoch,seconds,train_loss,val_loss,val_accuracy}. Each row is appended and flushed
 * when its epoch ends, so an interrupted run keeps what it measured. A resumed run starts the
 * file again (atomically) from the rows its checkpoint holds, so a row appended after the
 * checkpoint, or torn by a kill, is not repeated.
 */
public final class MetricsCsv implements TrainListener {
    public static final String HEADER = "epoch,seconds,train_loss,val_loss,val_accuracy";
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
