package nnc.compiler.cli;

import java.io.PrintStream;
import java.util.Locale;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import nnc.runtime.train.EpochResult;
import nnc.runtime.train.TrainListener;

/**
 * Training progress on the terminal: a bar per epoch (samples/s, running loss, ETA) when
 * standard error is a terminal, and one line per finished epoch always.
 */
final class Progress implements TrainListener {
    private final PrintStream out;
    private final boolean bar;
    private ProgressBar current;
    private int epochs;
    private long started;

    Progress(PrintStream out, boolean interactive) {
        this.out = out;
        this.bar = interactive;
    }

    static boolean interactive() {
        return System.console() != null && System.getenv("CI") == null;
    }

    @Override
    public void epochStart(int epoch, int epochs, long samples, float learningRate) {
        this.epochs = epochs;
        if (bar) {
            started = System.nanoTime();
            current = new ProgressBarBuilder().setTaskName(String.format("epoch %d/%d", epoch, epochs))
                    .setInitialMax(samples).setStyle(ProgressBarStyle.ASCII)
                    .setUpdateIntervalMillis(200).clearDisplayOnFinish().setConsumer(
                            new me.tongfei.progressbar.ConsoleProgressBarConsumer(out)).build();
        }
    }

    @Override
    public void batchEnd(long done, double meanLoss) {
        if (current != null) {
            current.stepTo(done);
            double seconds = (System.nanoTime() - started) / 1e9;
            current.setExtraMessage(String.format(Locale.ROOT, " %,.0f samples/s, loss %.4f", done / seconds, meanLoss));
        }
    }

    @Override
    public void epochEnd(EpochResult r) {
        if (current != null) {
            current.close();
            current = null;
        }
        out.println(line(r, epochs));
    }

    @Override
    public void stoppedEarly(int epoch, String reason) {
        out.println("stopped after epoch " + epoch + ": " + reason);
    }

    /** One listener that calls each of {@code ls} in turn. */
    static TrainListener all(TrainListener... ls) {
        return new TrainListener() {
            @Override
            public void epochStart(int epoch, int epochs, long samples, float lr) {
                for (TrainListener l : ls) {
                    l.epochStart(epoch, epochs, samples, lr);
                }
            }

            @Override
            public void batchEnd(long done, double meanLoss) {
                for (TrainListener l : ls) {
                    l.batchEnd(done, meanLoss);
                }
            }

            @Override
            public void epochEnd(EpochResult r) {
                for (TrainListener l : ls) {
                    l.epochEnd(r);
                }
            }

            @Override
            public void stoppedEarly(int epoch, String reason) {
                for (TrainListener l : ls) {
                    l.stoppedEarly(epoch, reason);
                }
            }
        };
    }

    static String line(EpochResult r, int epochs) {
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "epoch %d/%d  train_loss %.4f", r.epoch(), epochs,
                r.trainLoss()));
        if (!Double.isNaN(r.trainAccuracy())) {
            s.append(String.format(Locale.ROOT, "  train_accuracy %.4f", r.trainAccuracy()));
        }
        if (!Double.isNaN(r.valLoss())) {
            s.append(String.format(Locale.ROOT, "  val_loss %.4f", r.valLoss()));
        }
        if (!Double.isNaN(r.valAccuracy())) {
            s.append(String.format(Locale.ROOT, "  val_accuracy %.4f", r.valAccuracy()));
        }
        // Two decimals under 10 s: an MLP epoch of about half a second needs them to be compared.
        s.append(String.format(Locale.ROOT, r.seconds() < 10 ? "  lr %.3g  %.2f s  %,.0f samples/s"
                : "  lr %.3g  %.1f s  %,.0f samples/s", r.learningRate(), r.seconds(), r.samplesPerSecond()));
        return s.toString();
    }
}
