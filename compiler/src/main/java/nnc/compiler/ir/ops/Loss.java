package nnc.compiler.ir.ops;

import com.palantir.javapoet.CodeBlock;
import java.util.List;
import java.util.Map;
import nnc.compiler.ir.EmitContext;
import nnc.compiler.ir.EvalContext;
import nnc.compiler.ir.Graph;
import nnc.compiler.ir.LossKind;
import nnc.compiler.ir.Node;
import nnc.compiler.ir.Op;
import nnc.compiler.ir.Ops;
import nnc.compiler.ir.Origin;
import nnc.compiler.ir.Pattern;
import nnc.compiler.ir.Rewrite;
import nnc.compiler.ir.ShapeException;
import nnc.compiler.ir.TensorType;
import nnc.runtime.kernels.Act;
import nnc.runtime.kernels.Kernels;

/**
 * A loss over the batch: inputs (y, target). It adds {@code [summed loss, rows right]} to
 * the step's statistics and — with {@code grad} — its value is the gradient {@code dL/dy}
 * (mean over the batch), the seed of backward. Kinds:
 *
 * <pre>
 *   NLL                    -log p[label]               y: probabilities [C], target [1]
 *   SOFTMAX_CROSS_ENTROPY  softmax + NLL, from logits  (what FuseOps makes of softmax -> NLL)
 *   BCE                    binary cross-entropy        y: probabilities, target like y
 *   SIGMOID_BCE            sigmoid + BCE, from logits  (what FuseOps makes of sigmoid -> BCE)
 *   MSE                    mean squared error          target like y
 * </pre>
 */
public final class Loss implements Op {
    /** The kind, and whether the gradient is wanted (training) or only the value (evaluation). */
    public record Attrs(Kernels.Loss kind, boolean grad) {
    }

    /** Evaluation only adds to the statistics; nothing is stored. */
    @Override
    public Storage storage(Node node) {
        return node.attrs(Attrs.class).grad() ? Storage.ARENA : Storage.NONE;
    }

    /** Its value is the gradient of the loss, the seed of backward. */
    @Override
    public String valueName(Node node) {
        return "loss_grad";
    }

    @Override
    public String name() {
        return "loss";
    }

    @Override
    public Pattern pattern() {
        return Pattern.OPAQUE;
    }

    @Override
    public TensorType infer(List<TensorType> in, Object attrs) throws ShapeException {
        Attrs a = (Attrs) attrs;
        TensorType y = in.get(0);
        TensorType t = in.get(1);
        switch (a.kind()) {
            case NLL, SOFTMAX_CROSS_ENTROPY -> {
                if (y.rank() != 1 || y.dim(0) < 2) {
                    throw new ShapeException("cross_entropy needs one output per class (at least 2), but the model"
                            + " outputs " + y.shapeText(), y.size() == 1
                            ? "use binary_cross_entropy with a sigmoid output for two classes" : null);
                }
                if (t.size() != 1) {
                    throw new ShapeException("cross_entropy needs one class index per sample, got targets "
                            + t.shapeText());
                }
            }
            default -> {
                if (t.size() != y.size()) {
                    throw new ShapeException(a.kind().name().toLowerCase() + " needs one target per output: the model"
                            + " outputs " + y.shapeText() + " but targets are " + t.shapeText());
                }
            }
        }
        return y;
    }

    @Override
    public double[] evaluate(EvalContext ctx, Node node, double[][] in) {
        Attrs a = node.attrs(Attrs.class);
        int n = ctx.rows();
        int cols = node.type().size();
        double[] y = in[0];
        double[] t = in[1];
        double[] g = new double[y.length];
        double loss = 0;
        double right = 0;
        for (int r = 0; r < n; r++) {
            int o = r * cols;
            switch (a.kind()) {
                case NLL, SOFTMAX_CROSS_ENTROPY -> {
                    int label = (int) t[r];
                    double[] p = new double[cols];
                    if (a.kind() == Kernels.Loss.SOFTMAX_CROSS_ENTROPY) {
                        double max = Double.NEGATIVE_INFINITY;
                        for (int j = 0; j < cols; j++) {
                            max = Math.max(max, y[o + j]);
                        }
                        double sum = 0;
                        for (int j = 0; j < cols; j++) {
                            sum += Math.exp(y[o + j] - max);
                        }
                        for (int j = 0; j < cols; j++) {
                            p[j] = Math.exp(y[o + j] - max) / sum;
                            g[o + j] = (p[j] - (j == label ? 1 : 0)) / n;
                        }
                    } else {
                        System.arraycopy(y, o, p, 0, cols);
                        g[o + label] = -1.0 / (n * Math.max(p[label], nnc.runtime.kernels.Losses.EPS));
                    }
                    loss -= Math.log(Math.max(p[label], a.kind() == Kernels.Loss.NLL ? nnc.runtime.kernels.Losses.EPS : 0));
                    int arg = 0;
                    for (int j = 1; j < cols; j++) {
                        if (y[o + j] > y[o + arg]) {
                            arg = j;
                        }
                    }
                    right += arg == label ? 1 : 0;
                }
                case SIGMOID_BCE, BCE -> {
                    boolean ok = true;
                    for (int j = 0; j < cols; j++) {
                        double p = a.kind() == Kernels.Loss.SIGMOID_BCE ? 1 / (1 + Math.exp(-y[o + j])) : y[o + j];
                        double tv = t[o + j];
                        loss -= (tv * Math.log(p) + (1 - tv) * Math.log(1 - p)) / cols;
                        g[o + j] = a.kind() == Kernels.Loss.SIGMOID_BCE
                                ? (p - tv) / (n * cols) : (p - tv) / (p * (1 - p)) / (n * cols);
                        ok &= (p > 0.5) == (tv > 0.5);
                    }
                    right += ok ? 1 : 0;
                }
                case MSE -> {
                    for (int j = 0; j < cols; j++) {
                        double d = y[o + j] - t[o + j];
                        loss += d * d / cols;
                        g[o + j] = 2 * d / (n * cols);
                    }
                }
            }
        }
        ctx.stats()[0] += loss;
        ctx.stats()[1] += right;
        return g;
    }

    @Override
    public CodeBlock emit(EmitContext ctx, Node node) {
        Attrs a = node.attrs(Attrs.class);
        CodeBlock grad = a.grad() ? ctx.ref(node.id()) : CodeBlock.of("null, 0");
        return CodeBlock.of("$L.loss($L, $T.Loss.$L, $L, $L, $L, $L, $L, $L)", ctx.kernels(), ctx.exec(),
                Kernels.class, a.kind().name(), ctx.ref(node.input(0)), ctx.rows(), node.type().size(),
                ctx.ref(node.input(1)), grad, ctx.stats());
    }

    /**
     * Adds the target and the loss nodes of a .nn loss after {@code output}, returning the loss
     * node. {@code cross_entropy} is a softmax then a negative log-likelihood on class indices,
     * reusing the model's own softmax when it ends in one (so a model may output logits or
     * probabilities); {@code binary_cross_entropy} needs probabilities, so the model must end
     * in a sigmoid; {@code mse} takes any output. FuseOps later folds the activation in.
     *
     * @param grad the loss node's value is the gradient (training), else only statistics
     * @throws ShapeException when the loss does not fit the output
     */
    public static int attach(Graph.Builder b, LossKind kind, int output, Origin origin, boolean grad)
            throws ShapeException {
        Node out = b.node(output);
        TensorType targetType = kind == LossKind.CROSS_ENTROPY ? TensorType.batched(1) : out.type();
        int target = b.addTyped(Ops.TARGET, targetType, origin, List.of(), targetType);
        b.target(target);
        return switch (kind) {
            case CROSS_ENTROPY -> {
                int probs = out.op() == Ops.SOFTMAX ? output : b.add(Ops.SOFTMAX, null, origin, output);
                yield b.add(Ops.LOSS, new Attrs(Kernels.Loss.NLL, grad), origin, probs, target);
            }
            case BINARY_CROSS_ENTROPY -> {
                if (!(out.op() instanceof Activation a) || a.act() != Act.SIGMOID) {
                    throw new ShapeException("binary_cross_entropy needs probabilities, but " + b.name()
                            + " does not end with sigmoid", "end the model with '-> sigmoid'");
                }
                yield b.add(Ops.LOSS, new Attrs(Kernels.Loss.BCE, grad), origin, output, target);
            }
            case MSE -> b.add(Ops.LOSS, new Attrs(Kernels.Loss.MSE, grad), origin, output, target);
        };
    }

    /**
     * Folds the output activation into the loss: {@code NLL(softmax(z))} becomes
     * {@code SOFTMAX_CROSS_ENTROPY(z)} and {@code BCE(sigmoid(z))} becomes {@code SIGMOID_BCE(z)},
     * whose gradient with respect to {@code z} is simply {@code p - target}. The backward
     * node through the activation (the only user of the loss's gradient) is replaced by the
     * fused loss.
     */
    @Override
    public Rewrite rewrite(Graph graph, Node node) {
        Attrs a = node.attrs(Attrs.class);
        Node producer = graph.node(node.input(0));
        Kernels.Loss fused;
        if (a.kind() == Kernels.Loss.NLL && producer.op() == Ops.SOFTMAX) {
            fused = Kernels.Loss.SOFTMAX_CROSS_ENTROPY;
        } else if (a.kind() == Kernels.Loss.BCE && producer.op() instanceof Activation act
                && act.act() == Act.SIGMOID) {
            fused = Kernels.Loss.SIGMOID_BCE;
        } else {
            return null;
        }
        List<Integer> users = graph.users(node.id());
        if (a.grad()) {
            if (users.size() != 1) {
                return null;
            }
            Node back = graph.node(users.get(0));
            boolean throughActivation = back.inputs().get(0) == node.id() && back.inputs().get(1) == producer.id()
                    && (back.op() == Ops.SOFTMAX_GRAD || back.op() == Ops.ACT_GRAD);
            if (!throughActivation) {
                return null;
            }
            return new Rewrite(node.id(), Ops.LOSS, new Attrs(fused, true),
                    List.of(producer.input(0), node.input(1)), Map.of(back.id(), node.id()),
                    producer.op().name() + " + " + a.kind().name().toLowerCase() + " -> " + fused.name().toLowerCase());
        }
        return new Rewrite(node.id(), Ops.LOSS, new Attrs(fused, false),
                List.of(producer.input(0), node.input(1)), Map.of(),
                producer.op().name() + " + " + a.kind().name().toLowerCase() + " -> " + fused.name().toLowerCase());
    }

    @Override
    public long flops(Node node, List<TensorType> in) {
        // (soft)max or difference, log or square, and the gradient, per output
        return 4L * in.get(0).size();
    }
}
