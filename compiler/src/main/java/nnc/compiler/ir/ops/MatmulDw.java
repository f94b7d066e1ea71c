package nnc.compiler.ir.ops;

import com.palantir.javapoet.CodeBlock;
import java.util.List;
import nnc.compiler.ir.EmitContext;
import nnc.compiler.ir.EvalContext;
import nnc.compiler.ir.Graph;
import nnc.compiler.ir.Node;
import nnc.compiler.ir.Op;
import nnc.compiler.ir.Pattern;
import nnc.compiler.ir.TensorType;

/** The weight gradient of {@link Matmul}: {@code dW[O, I] = dy[N, O]^T . x[N, I]}, summed over rows. */
public final class MatmulDw implements Op {
    @Override
    public String name() {
        return "matmul_dw";
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
        return TensorType.fixed(in.get(0).dim(0), in.get(1).dim(0));
    }

    @Override
    public double[] evaluate(EvalContext ctx, Node node, double[][] in) {
        int n = ctx.rows();
        int out = node.type().dim(0);
        int features = node.type().dim(1);
        double[] dw = new double[out * features];
        for (int r = 0; r < n; r++) {
            for (int o = 0; o < out; o++) {
                double d = in[0][r * out + o];
                for (int i = 0; i < features; i++) {
                    dw[o * features + i] += d * in[1][r * features + i];
                }
            }
        }
        return dw;
    }

    @Override
    public String planNote(Graph g, Node node) {
        return Matmul.readsTrainingInput(g, node.input(1)) ? Matmul.SPARSE_NOTE : "";
    }

    @Override
    public CodeBlock emit(EmitContext ctx, Node node) {
        int out = node.type().dim(0);
        int features = node.type().dim(1);
        if (Matmul.readsTrainingInput(ctx.graph(), node.input(1))) {
            return CodeBlock.of("$L.inputGemmDw($L, inputRows, $L, $L, $L, $L, $L, $L, $L, $L, $L, false, $L)",
                    ctx.kernels(), ctx.exec(), out, features, ctx.rows(),
                    ctx.ref(node.input(0)), out, ctx.ref(node.input(1)), features, ctx.ref(node.id()), features,
                    ctx.epilogue(node));
        }
        return CodeBlock.of("$L.gemm($L, true, false, $L, $L, $L, $L, $L, $L, $L, $L, $L, false, $L)",
                ctx.kernels(), ctx.exec(), out, features, ctx.rows(),
                ctx.ref(node.input(0)), out, ctx.ref(node.input(1)), features, ctx.ref(node.id()), features,
                ctx.epilogue(node));
    }

    @Override
    public long flops(Node node, List<TensorType> in) {
        // dy^T . x: each sample adds its outer product [O, I]
        return 2L * node.type().size();
    }
}
