package nnc.compiler.ir.ops;

import com.palantir.javapoet.CodeBlock;
import java.util.List;
import nnc.compiler.ir.EmitContext;
import nnc.compiler.ir.JavaLiterals;
import nnc.compiler.ir.EvalContext;
import nnc.compiler.ir.Node;
import nnc.compiler.ir.Pattern;
import nnc.compiler.ir.TensorType;

/**
 * Batch norm in inference mode: a per-channel affine map with the running statistics,
 * {@code y = (x - running_mean) / sqrt(running_var + eps) * gamma + beta}. Pointwise, so
 * FuseOps folds it into the epilogue of the convolution or linear layer before it.
 * Inputs as {@link BatchNorm}.
 */
public final class BatchNormInfer extends PointwiseOp {
    @Override
    public String name() {
        return "batchnorm_infer";
    }

    @Override
    public Pattern pattern() {
        return Pattern.BROADCAST;
    }

    @Override
    public TensorType infer(List<TensorType> in, Object attrs) {
        return in.get(0);
    }

    @Override
    public double[] evaluate(EvalContext ctx, Node node, double[][] in) {
        BatchNorm.Attrs a = node.attrs(BatchNorm.Attrs.class);
        int channels = BatchNorm.channels(node.type());
        int inner = BatchNorm.inner(node.type());
        double[] y = new double[in[0].length];
        for (int i = 0; i < y.length; i++) {
            int c = (i / inner) % channels;
            y[i] = (in[0][i] - in[3][c]) / Math.sqrt(in[4][c] + a.eps()) * in[1][c] + in[2][c];
        }
        return y;
    }

    @Override
    public CodeBlock epilogueStep(EmitContext ctx, Node node, int chainInput) {
        if (chainInput != 0) {
            return null;
        }
        BatchNorm.Attrs a = node.attrs(BatchNorm.Attrs.class);
        return CodeBlock.of(".batchNorm(params, $L, $L, $L, $L, $L, $L, $L)", ctx.offset(node.input(1)),
                ctx.offset(node.input(2)), ctx.offset(node.input(3)), ctx.offset(node.input(4)), JavaLiterals.floatLiteral(a.eps()),
                BatchNorm.inner(node.type()), BatchNorm.channels(node.type()));
    }

    @Override
    public long flops(Node node, List<TensorType> in) {
        // a scale and a shift per element
        return 2L * node.type().size();
    }
}
