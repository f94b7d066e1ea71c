package nnc.compiler.ir.ops;

import com.palantir.javapoet.CodeBlock;
import java.util.List;
import nnc.compiler.ir.EmitContext;
import nnc.compiler.ir.JavaLiterals;
import nnc.compiler.ir.EvalContext;
import nnc.compiler.ir.Node;
import nnc.compiler.ir.TensorType;
import nnc.runtime.kernels.Act;

/**
 * The gradient through an activation: {@code dx = dy * act'(s)}, where {@code s} is the
 * activation's output, or its input where the derivative needs it ({@link Act#gradFromInput()}).
 * In a fused backward chain {@code dy} flows through and {@code s} is read beside it.
 */
public final class ActGrad extends PointwiseOp {
    /** Which activation, and its alpha. */
    public record Attrs(Act act, float alpha) {
    }

    @Override
    public String name() {
        return "act_grad";
    }

    @Override
    public TensorType infer(List<TensorType> in, Object attrs) {
        return in.get(0);
    }

    @Override
    public double[] evaluate(EvalContext ctx, Node node, double[][] in) {
        Attrs a = node.attrs(Attrs.class);
        double[] dx = new double[in[0].length];
        for (int i = 0; i < dx.length; i++) {
            dx[i] = in[0][i] * a.act().function().referenceGrad(in[1][i], a.alpha());
        }
        return dx;
    }

    @Override
    public CodeBlock epilogueStep(EmitContext ctx, Node node, int chainInput) {
        if (chainInput != 0) {
            return null;
        }
        Attrs a = node.attrs(Attrs.class);
        return CodeBlock.of(".actGrad($T.$L, $L, $L)", Act.class, a.act().name(), JavaLiterals.floatLiteral(a.alpha()), ctx.ref(node.input(1)));
    }
}
