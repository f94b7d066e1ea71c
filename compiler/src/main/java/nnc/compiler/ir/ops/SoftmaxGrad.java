package nnc.compiler.ir.ops;

import com.palantir.javapoet.CodeBlock;
import java.util.List;
import nnc.compiler.ir.EmitContext;
import nnc.compiler.ir.EvalContext;
import nnc.compiler.ir.Node;
import nnc.compiler.ir.Op;
import nnc.compiler.ir.Pattern;
import nnc.compiler.ir.TensorType;

/** The gradient through softmax: {@code dx = y * (dy - sum(dy * y))} per row; inputs (dy, y). */
public final class SoftmaxGrad implements Op {
    @Override
    public String name() {
        return "softmax_grad";
    }

    @Override
    public Pattern pattern() {
        return Pattern.REDUCTION;
    }

    @Override
    public TensorType infer(List<TensorType> in, Object attrs) {
        return in.get(0);
    }

    @Override
    public double[] evaluate(EvalContext ctx, Node node, double[][] in) {
        int cols = node.type().dim(0);
        double[] dx = new double[in[0].length];
        for (int r = 0; r < ctx.rows(); r++) {
            double dot = 0;
            for (int j = 0; j < cols; j++) {
                dot += in[0][r * cols + j] * in[1][r * cols + j];
            }
            for (int j = 0; j < cols; j++) {
                dx[r * cols + j] = in[1][r * cols + j] * (in[0][r * cols + j] - dot);
            }
        }
        return dx;
    }

    @Override
    public CodeBlock emit(EmitContext ctx, Node node) {
        return CodeBlock.of("$L.softmaxGrad($L, $L, $L, $L, $L, $L)", ctx.kernels(), ctx.exec(),
                ctx.ref(node.input(0)), ctx.ref(node.input(1)), ctx.rows(), node.type().dim(0), ctx.ref(node.id()));
    }

    @Override
    public long flops(Node node, List<TensorType> in) {
        // dot(dy, y), subtract, multiply
        return 4L * node.type().size();
    }
}
