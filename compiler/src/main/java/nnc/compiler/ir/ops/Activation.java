package nnc.compiler.ir.ops;

import com.palantir.javapoet.CodeBlock;
import java.util.List;
import nnc.compiler.ir.EmitContext;
import nnc.compiler.ir.JavaLiterals;
import nnc.compiler.ir.EvalContext;
import nnc.compiler.ir.GradContext;
import nnc.compiler.ir.Node;
import nnc.compiler.ir.Ops;
import nnc.compiler.ir.TensorType;
import nnc.runtime.kernels.Act;

/**
 * A pointwise activation, one op per {@link Act} (declared in its runtime
 * {@code ActivationFunction}); {@code attrs} is the slope alpha (a Float) for leaky ReLU.
 * Gradient: {@link ActGrad}{@code (dy, y)}, or {@code (dy, x)} when the derivative needs the
 * input (GELU).
 */
public final class Activation extends PointwiseOp {
    private final Act act;

    public Activation(Act act) {
        this.act = act;
    }

    public Act act() {
        return act;
    }

    @Override
    public Act appliedActivation() {
        return act;
    }

    @Override
    public String name() {
        return act.function().name();
    }

    static float alpha(Node node) {
        return node.attrs() instanceof Float f ? f : 0f;
    }

    @Override
    public TensorType infer(List<TensorType> in, Object attrs) {
        return in.get(0);
    }

    @Override
    public int[] gradient(GradContext g, Node node, int dy) {
        int saved = act.gradFromInput() ? node.input(0) : node.id();
        return new int[] {g.add(Ops.ACT_GRAD, new ActGrad.Attrs(act, alpha(node)), dy, saved)};
    }

    @Override
    public double[] evaluate(EvalContext ctx, Node node, double[][] in) {
        double alpha = alpha(node);
        double[] y = new double[in[0].length];
        for (int i = 0; i < y.length; i++) {
            y[i] = act.function().reference(in[0][i], alpha);
        }
        return y;
    }

    @Override
    public CodeBlock epilogueStep(EmitContext ctx, Node node, int chainInput) {
        return CodeBlock.of(".act($T.$L, $L)", Act.class, act.name(), JavaLiterals.floatLiteral(alpha(node)));
    }
}
