package nnc.compiler.plot;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import nnc.runtime.io.AtomicFile;
import nnc.runtime.train.EpochResult;
import nnc.runtime.train.TrainListener;

/**
 * A run's {@code curves.png}, drawn again (atomically) after every epoch, so it can be watched
 * while the run trains and an interrupted run keeps its curves. A failure to draw or write
 * does not stop training: the first one is kept for the caller to report.
 */
public final class CurvesFile implements TrainListener {
    private final Path file;
    private final String title;
    private final List<EpochResult> epochs;
    private Throwable failure;

    /** @param history the epochs a resumed run already has */
    public CurvesFile(Path file, String title, List<EpochResult> history) {
        this.file = file;
        this.title = title;
        this.epochs = new ArrayList<>(history);
    }

    @Override
    public void epochEnd(EpochResult r) {
        epochs.add(r);
        if (failure != null) {
            return;
        }
        try {
            AtomicFile.write(file, Curves.run(title, epochs));
        } catch (IOException | RuntimeException | LinkageError | java.awt.AWTError e) {
            failure = e; // no fonts, no display libraries, a full disk: the run goes on without curves
        }
    }

    /** The first failure, or null. */
    public Throwable failure() {
        return failure;
    }
}
