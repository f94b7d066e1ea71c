package nnc.compiler.ir.ops;

import com.palantir.javapoet.CodeBlock;
import java.util.List;
import nnc.compiler.ir.EmitContext;
import nnc.compiler.ir.EvalContext;
import nnc.compiler.ir.Graph;
import nnc.compiler.ir.Node;
import nnc.compiler.ir.Op;
import nnc.compiler.ir.Pattern;
import nnc.compiler.ir.Ops;
import nnc.compiler.ir.TensorType;
import nnc.runtime.kernels.ConvGeom;

/** The bias gradient: {@code db[C] = sum of dy[N, C, ...] over every axis but C}. */
public final class BiasGrad implements Op {
    @Override
    public String name() {
        return "bias_grad";
    }

    @Override
    public Pattern pattern() {
        return Pattern.REDUCTION;
    }

    @Override
    public TensorType infer(List<TensorType> in, Object attrs) {
        return TensorType.fixed(in.get(0).dim(0));
    }

    @Override
    public double[] evaluate(EvalContext ctx, Node node, double[][] in) {
        int channels = node.type().dim(0);
        int perRow = in[0].length / Math.max(1, ctx.rows());
        int inner = perRow / channels;
        double[] db = new double[channels];
        for (int i = 0; i < in[0].length; i++) {
            db[(i / inner) % channels] += in[0][i];
        }
        return db;
    }

    /**
     * A convolution bias's gradient is summed inside the weight-gradient pass over the same dy
     * ({@code conv2dBackwardWeights} with a {@code db}), while each sample's dy is in cache: on
     * its own it was a pass over dy of 0.29 ms in a 21 ms SimpleCNN step (AVX2, 2 threads). A
     * batch norm's beta gradient comes from its input-gradient pass, which sums dy anyway
     * ({@link BatchNormGrad}). Only a parameter's gradient that nothing else reads is taken
     * there, so its earlier write is safe.
     */
    @Override
    public int computedBy(Graph graph, Node node) {
        if (!Folding.foldable(graph, node)) {
            return -1;
        }
        for (int user : graph.users(node.input(0))) {
            Node n = graph.node(user);
            if (n.op() == Ops.CONV2D_DW && n.input(0) == node.input(0)
                    && n.attrs(ConvGeom.class).o() == node.type().dim(0)) {
                return n.id();
            }
            if (n.op() == Ops.BATCHNORM_DX && n.input(0) == node.input(0)
                    && BatchNorm.channels(graph.type(n.input(1))) == node.type().dim(0)) {
                return n.id();
            }
        }
        return -1;
    }

    @Override
    public CodeBlock emit(EmitContext ctx, Node node) {
        TensorType dy = ctx.graph().type(node.input(0));
        int channels = dy.dim(0);
        int inner = dy.size() / channels;
        if (inner == 1) {
            return CodeBlock.of("$L.sumRows($L, $L, $L, $L, $L, false)", ctx.kernels(), ctx.exec(),
                    ctx.ref(node.input(0)), ctx.rows(), channels, ctx.ref(node.id()));
        }
        return CodeBlock.of("$L.sumChannels($L, $L, $L, $L, $L, $L)", ctx.kernels(), ctx.exec(),
                ctx.ref(node.input(0)), ctx.rows(), channels, inner, ctx.ref(node.id()));
    }

    @Override
    public long flops(Node node, List<TensorType> in) {
        // sums dy over the batch (and positions)
        return in.get(0).size();
    }
}
