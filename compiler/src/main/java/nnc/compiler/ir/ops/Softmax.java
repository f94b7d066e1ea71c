package nnc.compiler.ir.ops;

import com.palantir.javapoet.CodeBlock;
import java.util.List;
import nnc.compiler.ir.EmitContext;
import nnc.compiler.ir.EvalContext;
import nnc.compiler.ir.GradContext;
import nnc.compiler.ir.Node;
import nnc.compiler.ir.Op;
import nnc.compiler.ir.Ops;
import nnc.compiler.ir.Pattern;
import nnc.compiler.ir.ShapeException;
import nnc.compiler.ir.TensorType;

/** {@code y[N, C] = exp(x - max) / sum(exp(x - max))} per row. Gradient: {@link SoftmaxGrad}. */
public final class Softmax implements Op {
    @Override
    public String name() {
        return "softmax";
    }

    @Override
    public Pattern pattern() {
        return Pattern.REDUCTION;
    }

    @Override
    public TensorType infer(List<TensorType> in, Object attrs) throws ShapeException {
        if (in.get(0).rank() != 1) {
            throw new ShapeException("softmax expects a flat input [classes], got " + in.get(0).shapeText(),
                    "insert 'flatten' before 'softmax'");
        }
        return in.get(0);
    }

    @Override
    public int[] gradient(GradContext g, Node node, int dy) {
        return new int[] {g.add(Ops.SOFTMAX_GRAD, null, dy, node.id())};
    }

    @Override
    public double[] evaluate(EvalContext ctx, Node node, double[][] in) {
        int cols = node.type().dim(0);
        double[] y = new double[in[0].length];
        for (int r = 0; r < ctx.rows(); r++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < cols; j++) {
                max = Math.max(max, in[0][r * cols + j]);
            }
            double sum = 0;
            for (int j = 0; j < cols; j++) {
                sum += Math.exp(in[0][r * cols + j] - max);
            }
            for (int j = 0; j < cols; j++) {
                y[r * cols + j] = Math.exp(in[0][r * cols + j] - max) / sum;
            }
        }
        return y;
    }

    @Override
    public CodeBlock emit(EmitContext ctx, Node node) {
        return CodeBlock.of("$L.softmax($L, $L, $L, $L, $L)", ctx.kernels(), ctx.exec(), ctx.ref(node.input(0)),
                ctx.rows(), node.type().dim(0), ctx.ref(node.id()));
    }

    @Override
    public long flops(Node node, List<TensorType> in) {
        // max, subtract, exp, sum, divide
        return 5L * node.type().size();
    }
}
