package nnc.compiler.ir.ops;

import com.palantir.javapoet.CodeBlock;
import java.util.List;
import nnc.compiler.ir.EmitContext;
import nnc.compiler.ir.EvalContext;
import nnc.compiler.ir.GradContext;
import nnc.compiler.ir.Node;
import nnc.compiler.ir.Ops;
import nnc.compiler.ir.Pattern;
import nnc.compiler.ir.ShapeException;
import nnc.compiler.ir.TensorType;

/**
 * Adds a per-channel bias: {@code x[N, C, ...] + b[C]}, the channel being the first
 * dimension after the batch (features of a linear layer, channels of a convolution).
 * Gradients: {@code dx = dy}, {@code db = } {@link BiasGrad}{@code (dy)}.
 */
public final class BiasAdd extends PointwiseOp {
    @Override
    public String name() {
        return "bias_add";
    }

    @Override
    public int channelBiasInput() {
        return 1;
    }

    @Override
    public Pattern pattern() {
        return Pattern.BROADCAST;
    }

    @Override
    public TensorType infer(List<TensorType> in, Object attrs) throws ShapeException {
        TensorType x = in.get(0);
        TensorType b = in.get(1);
        if (b.rank() != 1 || b.dim(0) != x.dim(0)) {
            throw new ShapeException("bias " + b.shapeText() + " does not fit " + x.shapeText()
                    + ": it needs " + x.dim(0) + " values, one per channel");
        }
        return x;
    }

    @Override
    public int[] gradient(GradContext g, Node node, int dy) {
        return new int[] {g.needs(0) ? dy : -1, g.needs(1) ? g.add(Ops.BIAS_GRAD, null, dy) : -1};
    }

    @Override
    public double[] evaluate(EvalContext ctx, Node node, double[][] in) {
        int channels = node.type().dim(0);
        int inner = node.type().size() / channels;
        double[] y = in[0].clone();
        for (int i = 0; i < y.length; i++) {
            y[i] += in[1][(i / inner) % channels];
        }
        return y;
    }

    @Override
    public CodeBlock epilogueStep(EmitContext ctx, Node node, int chainInput) {
        if (chainInput != 0) {
            return null;
        }
        int channels = node.type().dim(0);
        return CodeBlock.of(".bias($L, $L, $L)", ctx.ref(node.input(1)), node.type().size() / channels, channels);
    }
}
