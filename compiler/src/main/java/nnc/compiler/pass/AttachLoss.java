package nnc.compiler.pass;

import nnc.compiler.diag.Diagnostics;
import nnc.compiler.ir.Graph;
import nnc.compiler.ir.LossKind;
import nnc.compiler.ir.Origin;
import nnc.compiler.ir.ShapeException;
import nnc.compiler.ir.ops.Loss;

/**
 * Pass: adds the training target and the loss to a specialised graph. The loss op decides
 * what a .nn loss becomes ({@link Loss#attach}): which activation it needs or adds, the
 * target's shape. In a training graph the loss node's value is the gradient that seeds
 * backward; in an inference graph it only adds to the statistics ({@code evaluate}). A loss
 * that does not fit the model's output is reported at the {@code loss} setting.
 */
public final class AttachLoss implements Pass<Graph, Graph> {
    private final TrainSpec train;

    public AttachLoss(TrainSpec train) {
        this.train = train;
    }

    @Override
    public Graph run(Graph g, Diagnostics d) {
        LossKind kind = train.loss();
        Graph.Builder b = g.toBuilder();
        Origin origin = new Origin(train.lossSpan(), "loss", kind.word(), Origin.Phase.LOSS);
        try {
            b.loss(Loss.attach(b, kind, g.output(), origin, g.mode() == Graph.Mode.TRAIN));
        } catch (ShapeException e) {
            d.error(train.lossSpan(), e.getMessage(), e.hint());
            return null;
        }
        return b.build();
    }
}
