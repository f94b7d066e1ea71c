package nnc.compiler.layers;

import java.util.List;
import nnc.compiler.ir.InitSpec;
import nnc.compiler.ir.Ops;
import nnc.compiler.ir.ShapeException;
import nnc.compiler.ir.TensorType;
import nnc.compiler.ir.ops.BatchNorm;

/**
 * {@code batchnorm(momentum: 0.1, eps: 1e-5)}: per feature after a linear layer ({@code [C]}:
 * BatchNorm1d) or per channel after a convolution ({@code [C, H, W]}: BatchNorm2d), decided
 * by the input's shape. Trainable gamma and beta; running mean and variance are state.
 */
final class BatchNormLayer implements Layer {
    @Override
    public String name() {
        return "batchnorm";
    }

    @Override
    public List<ArgSpec> signature() {
        return List.of(ArgSpec.named("momentum", ArgType.FRACTION, 0.1), ArgSpec.named("eps", ArgType.POSITIVE, 1e-5));
    }

    @Override
    public boolean keepsScale() {
        return true;
    }

    @Override
    public String doc() {
        return "normalise each feature ([C]) or channel ([C, H, W]) over the batch; running statistics for inference";
    }

    @Override
    public int expand(Expansion x, List<Integer> inputs, Args args) throws ShapeException {
        int in = inputs.get(0);
        TensorType t = x.type(in);
        if (t.rank() != 1 && t.rank() != 3) {
            throw new ShapeException("batchnorm expects features [C] or an image [C, H, W], got " + t.shapeText());
        }
        TensorType c = TensorType.fixed(t.dim(0));
        int gamma = x.param("weight", c, new InitSpec.Constant(1), true);
        int beta = x.param("bias", c, new InitSpec.Constant(0), true);
        int mean = x.param("running_mean", c, new InitSpec.Constant(0), false);
        int var = x.param("running_var", c, new InitSpec.Constant(1), false);
        BatchNorm.Attrs a = new BatchNorm.Attrs((float) args.number("eps"), (float) args.number("momentum"));
        return x.op(Ops.BATCHNORM, a, in, gamma, beta, mean, var);
    }
}
