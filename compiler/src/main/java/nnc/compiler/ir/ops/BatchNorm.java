package nnc.compiler.ir.ops;

import com.palantir.javapoet.CodeBlock;
import java.util.List;
import nnc.compiler.ir.EmitContext;
import nnc.compiler.ir.JavaLiterals;
import nnc.compiler.ir.EvalContext;
import nnc.compiler.ir.GradContext;
import nnc.compiler.ir.Graph;
import nnc.compiler.ir.Node;
import nnc.compiler.ir.Op;
import nnc.compiler.ir.Ops;
import nnc.compiler.ir.Pattern;
import nnc.compiler.ir.ShapeException;
import nnc.compiler.ir.TensorType;

/**
 * Batch normalisation in training mode, per channel (the first dimension after the batch):
 *
 * <pre>
 *   inputs: x [C, ...], gamma [C], beta [C], running_mean [C], running_var [C]
 *   y = (x - mean_batch) / sqrt(var_batch + eps) * gamma + beta
 * </pre>
 * The kernel also updates the running statistics (a side effect the reference evaluation
 * leaves out: it does not change y). Gradients: {@code dx = batchnorm_dx(dy, x, gamma)},
 * which includes the path through the batch statistics; {@code dgamma =
 * batchnorm_dgamma(dy, x)}; {@code dbeta = bias_grad(dy)}. In inference graphs the op
 * becomes {@code batchnorm_infer} on the running statistics.
 */
public final class BatchNorm implements Op {
    /** Numerical epsilon and running-average momentum, as torch.nn.BatchNorm. */
    public record Attrs(float eps, float momentum) {
    }

    @Override
    public Op inMode(Graph.Mode mode) {
        return mode == Graph.Mode.INFER ? Ops.BATCHNORM_INFER : this;
    }

    @Override
    public String name() {
        return "batchnorm";
    }

    /** {@code batchnorm (simd)}: the profile names the kernel's path (the scalar loops where they run). */
    @Override
    public String profileName(Node node) {
        return name() + " (" + nnc.runtime.kernels.Kernels.active().batchNormAlgorithm(inner(node.type())) + ")";
    }

    /** Training normalises with the batch mean, which absorbs any per-channel constant. */
    @Override
    public boolean cancelsChannelShift() {
        return true;
    }

    @Override
    public Pattern pattern() {
        return Pattern.OPAQUE;
    }

    /**
     * The ReLU that usually follows runs as the normalised values are stored (other pointwise
     * steps after it on each sample's run of channels), so the un-activated output is never
     * written and read back.
     */
    @Override
    public boolean acceptsEpilogue() {
        return true;
    }

    static int channels(TensorType t) {
        return t.dim(0);
    }

    static int inner(TensorType t) {
        return t.size() / t.dim(0);
    }

    @Override
    public TensorType infer(List<TensorType> in, Object attrs) throws ShapeException {
        TensorType x = in.get(0);
        for (int i = 1; i < 5; i++) {
            if (in.get(i).size() != x.dim(0)) {
                throw new ShapeException("batchnorm parameter " + in.get(i).shapeText() + " does not fit " + x.shapeText());
            }
        }
        return x;
    }

    @Override
    public int[] gradient(GradContext g, Node node, int dy) {
        return new int[] {
            g.needs(0) ? g.add(Ops.BATCHNORM_DX, node.attrs(), dy, node.input(0), node.input(1)) : -1,
            g.needs(1) ? g.add(Ops.BATCHNORM_DGAMMA, node.attrs(), dy, node.input(0)) : -1,
            g.needs(2) ? g.add(Ops.BIAS_GRAD, null, dy) : -1,
            -1, -1
        };
    }

    @Override
    public double[] evaluate(EvalContext ctx, Node node, double[][] in) {
        Attrs a = node.attrs(Attrs.class);
        int channels = channels(node.type());
        int inner = inner(node.type());
        double[][] stats = SpatialMath.channelStats(in[0], ctx.rows(), channels, inner);
        double[] y = new double[in[0].length];
        for (int i = 0; i < y.length; i++) {
            int c = (i / inner) % channels;
            y[i] = (in[0][i] - stats[0][c]) / Math.sqrt(stats[1][c] + a.eps()) * in[1][c] + in[2][c];
        }
        return y;
    }

    @Override
    public CodeBlock emit(EmitContext ctx, Node node) {
        Attrs a = node.attrs(Attrs.class);
        return CodeBlock.of("$L.batchNorm($L, $L, $L, $L, $L, params, $L, $L, $L, $L, $L, $L, $L, $L)", ctx.kernels(),
                ctx.exec(), ctx.rows(), channels(node.type()), inner(node.type()), ctx.ref(node.input(0)),
                ctx.offset(node.input(1)), ctx.offset(node.input(2)), ctx.offset(node.input(3)), ctx.offset(node.input(4)),
                JavaLiterals.floatLiteral(a.eps()), JavaLiterals.floatLiteral(a.momentum()), ctx.ref(node.id()), ctx.epilogue(node));
    }

    @Override
    public long flops(Node node, List<TensorType> in) {
        // mean, variance, normalise, scale and shift
        return 8L * node.type().size();
    }
}
