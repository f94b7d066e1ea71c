package nnc.compiler.pass;

import nnc.compiler.data.KnownDatasets;
import nnc.compiler.diag.Diagnostics;
import nnc.compiler.ir.Graph;
import nnc.compiler.ir.LossKind;
import nnc.compiler.ir.Network;
import nnc.compiler.ir.TensorType;
import nnc.runtime.data.Dataset;
import nnc.runtime.model.Objective;

/**
 * Pass: a known dataset's samples must fit the model's input, and its classes the model's
 * output, checked before any data is read; {@link #checkLoaded} checks the data read from
 * files the same way. Reports at the {@code on DATA} and {@code loss} settings.
 */
public final class CheckData implements Pass<Network, Network> {
    private final TrainSpec train;
    private final DataSpec data;

    public CheckData(TrainSpec train, DataSpec data) {
        this.train = train;
        this.data = data;
    }

    @Override
    public Network run(Network network, Diagnostics d) {
        checkChannels(network, d);
        String name = switch (data.source()) {
            case DataSpec.Idx i -> i.dataset();
            case DataSpec.Cifar c -> c.dataset();
            case DataSpec.Csv c -> null;
        };
        KnownDatasets.Info info = name == null ? null : KnownDatasets.lookup(name);
        if (info == null) {
            return network;
        }
        Graph g = network.graph();
        TensorType in = g.type(g.input());
        if (in.size() != info.sampleSize()) {
            d.error(train.dataSpan(), info.name() + " samples are " + TensorType.fixed(info.shape()).shapeText() + " ("
                    + info.sampleSize() + " values) but " + g.name() + " takes " + in.shapeText() + " (" + in.size()
                    + " values)", "declare the model input as " + TensorType.fixed(info.shape()).shapeText()
                    + " or [" + info.sampleSize() + "]");
        }
        TensorType out = g.type(g.output());
        if (train.loss() == LossKind.CROSS_ENTROPY && out.size() < info.classes() && out.size() > 1) {
            d.error(train.lossSpan(), g.name() + " outputs " + out.size() + " classes but " + info.name() + " has "
                    + info.classes(), "end the model with linear(" + info.classes() + ")");
        }
        return network;
    }

    /** Per-channel normalisation needs one mean and deviation per channel of the input. */
    private void checkChannels(Network network, Diagnostics d) {
        if (!data.normalizes()) {
            return;
        }
        TensorType in = network.graph().type(network.graph().input());
        int channels = in.rank() == 3 ? in.dim(0) : 1;
        int given = Math.max(data.mean().length, data.std().length);
        if (given != 1 && given != channels) {
            d.error(data.normalizeSpan(), "normalize gives " + given + " values per statistic but "
                    + network.graph().name() + " takes " + channels + (channels == 1 ? " channel " : " channels ")
                    + in.shapeText(), "give " + channels + " means and deviations, or one of each for all channels");
        }
    }

    /**
     * Once the data is read: its samples must fit the model input and its targets the loss.
     * Reported at the {@code on DATA} and {@code loss} settings.
     */
    public void checkLoaded(Network network, Dataset loaded, Diagnostics d) {
        Graph g = network.graph();
        TensorType in = g.type(g.input());
        if (loaded.sampleSize() != in.size()) {
            d.error(train.dataSpan(), data.name() + " samples are " + java.util.Arrays.toString(loaded.sampleShape())
                    + " (" + loaded.sampleSize() + " values) but " + g.name() + " takes " + in.shapeText()
                    + " (" + in.size() + " values)");
        }
        int outputs = g.type(g.output()).size();
        Objective objective = train.loss().objective();
        if (objective == Objective.CLASSIFY && loaded.classes() > outputs) {
            d.error(train.lossSpan(), g.name() + " outputs " + outputs + " classes but " + data.name()
                    + " has " + loaded.classes(), "end the model with linear(" + loaded.classes() + ")");
        } else if (objective == Objective.CLASSIFY && loaded.targetSize() != 1) {
            d.error(train.lossSpan(), "cross_entropy needs one class index per sample, but " + data.name()
                    + " has " + loaded.targetSize() + " target columns");
        } else if (objective != Objective.CLASSIFY && loaded.targetSize() != outputs) {
            d.error(train.lossSpan(), train.loss().word() + " needs one target per output: " + g.name()
                    + " has " + outputs + " outputs but " + data.name() + " has " + loaded.targetSize()
                    + " target columns");
        } else if (loaded.sampleSize() == in.size()) {
            checkTargetValues(loaded, objective, outputs, d);
        }
    }

    /** Class indices for cross-entropy, probabilities for binary cross-entropy: else training prints nonsense. */
    private void checkTargetValues(Dataset loaded, Objective objective, int outputs, Diagnostics d) {
        for (int i = 0; i < loaded.size(); i++) {
            for (int j = 0; j < loaded.targetSize(); j++) {
                float t = loaded.target(i, j);
                String wrong = objective.targetProblem(t);
                if (wrong == null && objective == Objective.CLASSIFY && t >= outputs) {
                    // an index too large for the class count (2^31 and up) reaches here, not the check above
                    wrong = "class indices below " + outputs;
                }
                if (wrong != null) {
                    d.error(train.lossSpan(), train.loss().word() + " needs " + wrong + ", but sample " + (i + 1)
                            + " of " + data.name() + " has target " + t);
                    return;
                }
            }
        }
    }
}
