package nnc.runtime.train;

/**
 * Stops training when {@code monitor} has not improved for {@code patience} epochs; the
 * parameters of the best epoch are restored at the end.
 *
 * @param monitor one of {@code train_loss}, {@code val_loss}, {@code val_accuracy}
 */
public record EarlyStopping(String monitor, int patience, double minDelta) {
    public boolean higherIsBetter() {
        return monitor.endsWith("accuracy");
    }

    public double value(EpochResult r) {
        return switch (monitor) {
            case "train_loss" -> r.trainLoss();
            case "val_loss" -> r.valLoss();
            case "val_accuracy" -> r.valAccuracy();
            default -> throw new IllegalArgumentException("unknown metric " + monitor);
        };
    }

    public boolean improves(double value, double best) {
        return higherIsBetter() ? value > best + minDelta : value < best - minDelta;
    }
}
