package nnc.compiler.ir.ops;

import com.palantir.javapoet.CodeBlock;
import java.util.List;
import nnc.compiler.ir.EmitContext;
import nnc.compiler.ir.EvalContext;
import nnc.compiler.ir.GradContext;
import nnc.compiler.ir.Node;
import nnc.compiler.ir.ShapeException;
import nnc.compiler.ir.TensorType;

/**
 * Element-wise sum of two values of one shape: a residual connection ({@code x + y}), and
 * how backward sums the gradients of a value used twice. Gradient: {@code dy} to both.
 */
public final class Add extends PointwiseOp {
    @Override
    public String name() {
        return "add";
    }

    @Override
    public TensorType infer(List<TensorType> in, Object attrs) throws ShapeException {
        if (!in.get(0).sameShape(in.get(1))) {
            throw new ShapeException("cannot add values of different shapes: " + in.get(0).shapeText()
                    + " and " + in.get(1).shapeText());
        }
        return in.get(0);
    }

    @Override
    public int[] gradient(GradContext g, Node node, int dy) {
        return new int[] {g.needs(0) ? dy : -1, g.needs(1) ? dy : -1};
    }

    @Override
    public double[] evaluate(EvalContext ctx, Node node, double[][] in) {
        double[] y = in[0].clone();
        for (int i = 0; i < y.length; i++) {
            y[i] += in[1][i];
        }
        return y;
    }

    @Override
    public boolean chainsOn(int input) {
        return true;
    }

    @Override
    public CodeBlock epilogueStep(EmitContext ctx, Node node, int chainInput) {
        return CodeBlock.of(".add($L)", ctx.ref(node.input(1 - chainInput)));
    }
}
