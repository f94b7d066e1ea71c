package nnc.compiler.pass;

import nnc.compiler.data.KnownDatasets;
import nnc.compiler.diag.Diagnostics;
import nnc.compiler.ir.Graph;
import nnc.compiler.ir.LossKind;
import nnc.compiler.ir.Network;
import nnc.compiler.ir.TensorType;

/**
 * Pass: a known dataset's samples must fit the model's input, and its classes the model's
 * output, checked before any data is read. (Data files themselves are checked when they are
 * loaded.) Reports at the {@code on DATA} and {@code loss} settings of the training.
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
}
