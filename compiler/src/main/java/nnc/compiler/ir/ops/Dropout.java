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
import nnc.compiler.ir.TensorType;
import nnc.runtime.kernels.DropoutMask;

/**
 * Inverted dropout in training: {@code y = keep ? x / (1 - p) : 0}. The mask is a hash of the step key and the element index ({@link DropoutMask}),
 * so the gradient is the same op on {@code dy}: same key, same indices, same mask. Removed
 * from inference graphs.
 */
public final class Dropout extends PointwiseOp {
    /** The probability of zeroing, and a salt from the layer's name so two layers' masks differ. */
    public record Attrs(float p, int salt) {
        public static Attrs of(float p, String layer) {
            return new Attrs(p, layer.hashCode());
        }
    }

    @Override
    public Op inMode(Graph.Mode mode) {
        return mode == Graph.Mode.INFER ? null : this;
    }

    @Override
    public String name() {
        return "dropout";
    }

    @Override
    public TensorType infer(List<TensorType> in, Object attrs) {
        return in.get(0);
    }


    @Override
    public int[] gradient(GradContext g, Node node, int dy) {
        return new int[] {g.add(Ops.DROPOUT, node.attrs(), dy)};
    }

    @Override
    public double[] evaluate(EvalContext ctx, Node node, double[][] in) {
        Attrs a = node.attrs(Attrs.class);
        float p = a.p();
        int key = DropoutMask.salted(ctx.stepKey(), a.salt());
        int threshold = DropoutMask.threshold(p);
        double scale = 1 / (1 - (double) p);
        double[] y = new double[in[0].length];
        for (int i = 0; i < y.length; i++) {
            y[i] = DropoutMask.keep(key, i, threshold) ? in[0][i] * scale : 0;
        }
        return y;
    }

    @Override
    public CodeBlock epilogueStep(EmitContext ctx, Node node, int chainInput) {
        Attrs a = node.attrs(Attrs.class);
        return CodeBlock.of(".dropout($L, $L, $L, $L)", JavaLiterals.floatLiteral(a.p()), ctx.stepKey(), a.salt(), node.type().size());
    }
}
