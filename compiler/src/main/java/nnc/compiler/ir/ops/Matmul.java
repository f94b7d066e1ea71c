package nnc.compiler.ir.ops;

import com.palantir.javapoet.CodeBlock;
import java.util.List;
import nnc.compiler.ir.EmitContext;
import nnc.compiler.ir.EvalContext;
import nnc.compiler.ir.GradContext;
import nnc.compiler.ir.Graph;
import nnc.compiler.ir.Node;
import nnc.compiler.ir.Op;
import nnc.compiler.ir.Ops;
import nnc.compiler.ir.Pattern;
import nnc.compiler.ir.ShapeException;
import nnc.compiler.ir.TensorType;

/**
 * The product of a linear layer, {@code y = x . W^T}.
 *
 * <pre>
 *   x [N, I]   W [O, I]   ->   y [N, O]
 *   dx = dy . W      (MatmulDx)      dW = dy^T . x   (MatmulDw)
 * </pre>
 */
public final class Matmul implements Op {
    /** The plan's note on a product that takes the model input in as sparse when it is. */
    static final String SPARSE_NOTE = "sparse input when most of a batch is one value";
    /** The note on prediction's product on the model input. */
    static final String PREDICT_NOTE = "sparse rows one by one when most of a row is one value";

    @Override
    public String name() {
        return "matmul";
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
    public TensorType infer(List<TensorType> in, Object attrs) throws ShapeException {
        TensorType x = in.get(0);
        TensorType w = in.get(1);
        if (x.rank() != 1) {
            throw new ShapeException("linear expects a flat input [features], got " + x.shapeText(),
                    "insert 'flatten' before 'linear'");
        }
        if (w.dim(1) != x.dim(0)) {
            throw new ShapeException("weight " + w.shapeText() + " does not fit input " + x.shapeText()
                    + ": it needs " + w.dim(1) + " input features");
        }
        return TensorType.batched(w.dim(0));
    }

    @Override
    public int[] gradient(GradContext g, Node node, int dy) {
        int x = node.input(0);
        int w = node.input(1);
        return new int[] {
            g.needs(0) ? g.add(Ops.MATMUL_DX, null, dy, w) : -1,
            g.needs(1) ? g.add(Ops.MATMUL_DW, null, dy, x) : -1
        };
    }

    @Override
    public double[] evaluate(EvalContext ctx, Node node, double[][] in) {
        int n = ctx.rows();
        int features = node.type().dim(0);
        int inner = ctx.rows() == 0 ? 0 : in[0].length / n;
        double[] y = new double[n * features];
        for (int r = 0; r < n; r++) {
            for (int o = 0; o < features; o++) {
                double s = 0;
                for (int i = 0; i < inner; i++) {
                    s += in[0][r * inner + i] * in[1][o * inner + i];
                }
                y[r * features + o] = s;
            }
        }
        return y;
    }

    @Override
    public String planNote(Graph g, Node node) {
        if (readsTrainingInput(g, node.input(0))) {
            return SPARSE_NOTE;
        }
        return readsPredictionInput(g, node) ? PREDICT_NOTE : "";
    }

    @Override
    public CodeBlock emit(EmitContext ctx, Node node) {
        int out = node.type().dim(0);
        int inner = ctx.graph().type(node.input(0)).dim(0);
        if (readsTrainingInput(ctx.graph(), node.input(0))) {
            return CodeBlock.of("$L.inputGemm($L, inputRows, $L, $L, $L, $L, $L, $L, $L, $L, $L, $L)",
                    ctx.kernels(), ctx.exec(), ctx.rows(), out, inner,
                    ctx.ref(node.input(0)), inner, ctx.ref(node.input(1)), inner, ctx.ref(node.id()), out,
                    ctx.epilogue(node));
        }
        if (readsPredictionInput(ctx.graph(), node)) {
            return CodeBlock.of("$L.predictInputGemm($L, inputRows, transposed, $L, $L, $L, $L, $L, $L, $L, $L, $L, $L)",
                    ctx.kernels(), ctx.exec(), ctx.rows(), out, inner,
                    ctx.ref(node.input(0)), inner, ctx.ref(node.input(1)), inner, ctx.ref(node.id()), out,
                    ctx.epilogue(node));
        }
        return CodeBlock.of("$L.gemm($L, false, true, $L, $L, $L, $L, $L, $L, $L, $L, $L, false, $L)",
                ctx.kernels(), ctx.exec(), ctx.rows(), out, inner,
                ctx.ref(node.input(0)), inner, ctx.ref(node.input(1)), inner, ctx.ref(node.id()), out,
                ctx.epilogue(node));
    }

    /**
     * True when {@code x} is the model input of a training graph: its products then go through
     * the training step's {@code inputRows} ({@code K.inputGemm}, {@code K.inputGemmDw}), which
     * skip the entries that hold the input's background value (an image's black pixels).
     */
    static boolean readsTrainingInput(Graph g, int x) {
        return g.mode() == Graph.Mode.TRAIN && x == g.input();
    }

    /**
     * True when {@code node}'s x is the model input of an inference graph, with enough features
     * for the sparse path and W a parameter: its product takes sparse rows in one at a time
     * ({@code K.predictInputGemm}) from a transposed copy of the weights.
     */
    static boolean readsPredictionInput(Graph g, Node node) {
        return g.mode() == Graph.Mode.INFER && node.input(0) == g.input() && g.isParam(node.input(1))
                && g.type(node.input(0)).dim(0) >= nnc.runtime.kernels.SparseRows.MIN_ROW_COLS;
    }

    @Override
    public long flops(Node node, List<TensorType> in) {
        // x [I] . W^T [I, O]: a multiply-add per weight
        return 2L * in.get(0).size() * node.type().size();
    }
}
