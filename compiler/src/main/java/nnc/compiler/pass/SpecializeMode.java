package nnc.compiler.pass;

import java.util.ArrayList;
import java.util.List;
import nnc.compiler.diag.Diagnostics;
import nnc.compiler.diag.Span;
import nnc.compiler.ir.Graph;
import nnc.compiler.ir.Node;
import nnc.compiler.ir.Ops;
import nnc.compiler.ir.Origin;
import nnc.compiler.ir.ShapeException;
import nnc.compiler.ir.TensorType;
import nnc.compiler.ir.ops.Activation;
import nnc.compiler.ir.ops.Loss;
import nnc.runtime.kernels.Act;
import nnc.runtime.kernels.Kernels;

/**
 * Pass: the network graph, specialised for training or for inference, with its loss.
 *
 * <ul>
 *   <li>Inference drops dropout (its users read its input) and puts batch norm on its
 *       running statistics; training keeps both in their training forms.</li>
 *   <li>With a loss, adds the target and the loss node. {@code cross_entropy} is a softmax
 *       then a negative log-likelihood, reusing the model's own softmax when it ends in one
 *       (so the model may output logits or probabilities); {@code binary_cross_entropy}
 *       needs the model to end in a sigmoid; {@code mse} takes any output. FuseOps later
 *       folds the activation into the loss.</li>
 * </ul>
 */
public final class SpecializeMode {
    private SpecializeMode() {
    }

    /**
     * @param loss the training loss, or null for a graph without one
     * @return the specialised graph, or null when the loss does not fit the model
     */
    public static Graph run(Graph net, Graph.Mode mode, TrainSpec.LossKind loss, Span lossSpan, Diagnostics d) {
        Graph.Builder b = new Graph.Builder(net.name(), mode);
        int[] map = new int[net.size()];
        for (Node n : net.nodes()) {
            if (mode == Graph.Mode.INFER && n.op() == Ops.DROPOUT) {
                map[n.id()] = map[n.input(0)];
                continue;
            }
            List<Integer> inputs = new ArrayList<>();
            for (int in : n.inputs()) {
                inputs.add(map[in]);
            }
            nnc.compiler.ir.Op op = mode == Graph.Mode.INFER && n.op() == Ops.BATCHNORM ? Ops.BATCHNORM_INFER : n.op();
            map[n.id()] = b.addTyped(op, n.attrs(), n.origin(), inputs, n.type());
        }
        b.input(map[net.input()]);
        int output = map[net.output()];
        b.output(output);
        if (loss == null) {
            return b.build();
        }
        Origin origin = new Origin(lossSpan, "loss", loss.word(), false);
        Node out = b.node(output);
        TensorType targetType = loss == TrainSpec.LossKind.CROSS_ENTROPY
                ? TensorType.batched(1) : out.type();
        int target = b.addTyped(Ops.TARGET, targetType, origin, List.of(), targetType);
        b.target(target);
        boolean grad = mode == Graph.Mode.TRAIN;
        try {
            int lossNode = switch (loss) {
                case CROSS_ENTROPY -> {
                    int probs = out.op() == Ops.SOFTMAX ? output : b.add(Ops.SOFTMAX, null, origin, output);
                    yield b.add(Ops.LOSS, new Loss.Attrs(Kernels.Loss.NLL, grad), origin, probs, target);
                }
                case BINARY_CROSS_ENTROPY -> {
                    if (!(out.op() instanceof Activation a) || a.act() != Act.SIGMOID) {
                        d.error(lossSpan, "binary_cross_entropy needs probabilities, but " + net.name()
                                + " does not end with sigmoid", "end the model with '-> sigmoid'");
                        yield -1;
                    }
                    yield b.add(Ops.LOSS, new Loss.Attrs(Kernels.Loss.BCE, grad), origin, output, target);
                }
                case MSE -> b.add(Ops.LOSS, new Loss.Attrs(Kernels.Loss.MSE, grad), origin, output, target);
            };
            if (lossNode < 0) {
                return null;
            }
            b.loss(lossNode);
        } catch (ShapeException e) {
            d.error(lossSpan, e.getMessage(), e.hint());
            return null;
        }
        return b.build();
    }
}
