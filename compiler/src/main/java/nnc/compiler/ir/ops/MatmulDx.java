package nnc.compiler.ir.ops;

import com.palantir.javapoet.CodeBlock;
import java.util.List;
import nnc.compiler.ir.EmitContext;
import nnc.compiler.ir.EvalContext;
import nnc.compiler.ir.Node;
import nnc.compiler.ir.Op;
import nnc.compiler.ir.Pattern;
import nnc.compiler.ir.TensorType;

/** The input gradient of {@link Matmul}: {@code dx[N, I] = dy[N, O] . W[O, I]}. */
public final class MatmulDx implements Op {
    @Override
    public String name() {
        return "matmul_dx";
    }

    @Override
    public Pattern pattern() {
        return Pattern.OUT_FUSABLE;
    }

    @Override
    public boolean acceptsEpilogue() {
        return true;
    }

    @Override
    public TensorType infer(List<TensorType> in, Object attrs) {
        return TensorType.batched(in.get(1).dim(1));
    }

    @Override
    public double[] evaluate(EvalContext ctx, Node node, double[][] in) {
        int n = ctx.rows();
        int features = node.type().dim(0);
        int out = in[1].length / features;
        double[] dx = new double[n * features];
        for (int r = 0; r < n; r++) {
            for (int o = 0; o < out; o++) {
                double d = in[0][r * out + o];
                for (int i = 0; i < features; i++) {
                    dx[r * features + i] += d * in[1][o * features + i];
                }
            }
        }
        return dx;
    }

    @Override
    public CodeBlock emit(EmitContext ctx, Node node) {
        int features = node.type().dim(0);
        int out = ctx.graph().type(node.input(1)).dim(0);
        return CodeBlock.of("$L.gemm($L, false, false, $L, $L, $L, $L, $L, $L, $L, $L, $L, false, $L)",
                ctx.kernels(), ctx.exec(), ctx.rows(), features, out,
                ctx.ref(node.input(0)), out, ctx.ref(node.input(1)), features, ctx.ref(node.id()), features,
                ctx.epilogue(node));
    }

    @Override
    public long flops(Node node, List<TensorType> in) {
        // dy [O] . W [O, I]
        return 2L * in.get(0).size() * node.type().size();
    }
}
