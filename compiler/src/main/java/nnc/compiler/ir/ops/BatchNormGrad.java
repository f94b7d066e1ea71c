package nnc.compiler.ir.ops;

import com.palantir.javapoet.CodeBlock;
import java.util.List;
import nnc.compiler.ir.EmitContext;
import nnc.compiler.ir.JavaLiterals;
import nnc.compiler.ir.EvalContext;
import nnc.compiler.ir.Graph;
import nnc.compiler.ir.Node;
import nnc.compiler.ir.Op;
import nnc.compiler.ir.Ops;
import nnc.compiler.ir.Pattern;
import nnc.compiler.ir.TensorType;

/**
 * Batch-norm gradients, with the batch statistics recomputed from x ({@code M} values per
 * channel, {@code xhat = (x - mean) * invstd}):
 *
 * <pre>
 *   batchnorm_dx(dy, x, gamma)  dx = gamma * invstd * (dy - mean(dy) - xhat * mean(dy * xhat))
 *   batchnorm_dgamma(dy, x)     dgamma[c] = sum(dy * xhat)
 * </pre>
 * The input gradient needs both sums of dgamma and of the beta gradient ({@code sum(dy)}, a
 * {@link BiasGrad}), so its pass also writes those two when they are
 * {@linkplain #computedBy computed there}: on their own they were two more passes over dy and
 * x (and a recomputation of the statistics), 5.8% of the BN CNN's training step.
 */
public final class BatchNormGrad implements Op {
    private final boolean input;

    public BatchNormGrad(boolean input) {
        this.input = input;
    }

    @Override
    public String name() {
        return input ? "batchnorm_dx" : "batchnorm_dgamma";
    }

    /**
     * The input gradient names its kernel's path, as {@link BatchNorm#profileName}; the gamma
     * gradient's node holds only [C] (its kernel takes the same path as the layer's forward).
     */
    @Override
    public String profileName(Node node) {
        return input ? name() + " (" + nnc.runtime.kernels.Kernels.active().batchNormAlgorithm(BatchNorm.inner(node.type()))
                + ")" : name();
    }

    @Override
    public Pattern pattern() {
        return Pattern.REDUCTION;
    }

    /**
     * The gamma gradient is written by the input gradient's pass over the same dy and x, when it
     * is a parameter's gradient that nothing else reads (so its earlier write is safe).
     */
    @Override
    public int computedBy(Graph graph, Node node) {
        if (input || !Folding.foldable(graph, node)) {
            return -1;
        }
        for (int user : graph.users(node.input(0))) {
            Node n = graph.node(user);
            if (n.op() == Ops.BATCHNORM_DX && n.input(0) == node.input(0) && n.input(1) == node.input(1)) {
                return n.id();
            }
        }
        return -1;
    }

    @Override
    public TensorType infer(List<TensorType> in, Object attrs) {
        return input ? in.get(1) : TensorType.fixed(in.get(1).dim(0));
    }

    @Override
    public double[] evaluate(EvalContext ctx, Node node, double[][] in) {
        BatchNorm.Attrs a = node.attrs(BatchNorm.Attrs.class);
        double[] dy = in[0];
        double[] x = in[1];
        int channels = input ? node.type().dim(0) : node.type().size();
        int inner = x.length / ctx.rows() / channels;
        double[][] stats = SpatialMath.channelStats(x, ctx.rows(), channels, inner);
        double m = (double) ctx.rows() * inner;
        double[] sumDy = new double[channels];
        double[] sumDyXhat = new double[channels];
        double[] xhat = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            int c = (i / inner) % channels;
            xhat[i] = (x[i] - stats[0][c]) / Math.sqrt(stats[1][c] + a.eps());
            sumDy[c] += dy[i];
            sumDyXhat[c] += dy[i] * xhat[i];
        }
        if (!input) {
            return sumDyXhat;
        }
        double[] dx = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            int c = (i / inner) % channels;
            double invstd = 1 / Math.sqrt(stats[1][c] + a.eps());
            dx[i] = in[2][c] * invstd * (dy[i] - sumDy[c] / m - xhat[i] * sumDyXhat[c] / m);
        }
        return dx;
    }

    @Override
    public CodeBlock emit(EmitContext ctx, Node node) {
        BatchNorm.Attrs a = node.attrs(BatchNorm.Attrs.class);
        TensorType x = ctx.graph().type(node.input(1));
        int channels = BatchNorm.channels(x);
        int inner = BatchNorm.inner(x);
        if (input) {
            Node dgamma = Folding.computedHere(ctx.graph(), node, Ops.BATCHNORM_DGAMMA);
            Node dbeta = Folding.computedHere(ctx.graph(), node, Ops.BIAS_GRAD);
            return CodeBlock.of("$L.batchNormBackward($L, $L, $L, $L, $L, $L, params, $L, $L, $L, $L, $L)",
                    ctx.kernels(), ctx.exec(), ctx.rows(), channels, inner, ctx.ref(node.input(0)), ctx.ref(node.input(1)),
                    ctx.offset(node.input(2)), JavaLiterals.floatLiteral(a.eps()), ctx.ref(node.id()),
                    dgamma == null ? CodeBlock.of("null, 0") : ctx.ref(dgamma.id()),
                    dbeta == null ? CodeBlock.of("null, 0") : ctx.ref(dbeta.id()));
        }
        return CodeBlock.of("$L.batchNormBackward($L, $L, $L, $L, $L, $L, null, 0, $L, null, 0, $L, null, 0)",
                ctx.kernels(), ctx.exec(), ctx.rows(), channels, inner, ctx.ref(node.input(0)), ctx.ref(node.input(1)),
                JavaLiterals.floatLiteral(a.eps()), ctx.ref(node.id()));
    }

    @Override
    public long flops(Node node, List<TensorType> in) {
        // dx: two reductions and the normalised combination; dgamma: normalise and accumulate
        return (input ? 8L : 3L) * in.get(0).size();
    }
}
