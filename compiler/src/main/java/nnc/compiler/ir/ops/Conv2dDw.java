package nnc.compiler.ir.ops;

import com.palantir.javapoet.CodeBlock;
import java.util.List;
import nnc.compiler.ir.EmitContext;
import nnc.compiler.ir.EvalContext;
import nnc.compiler.ir.Graph;
import nnc.compiler.ir.Node;
import nnc.compiler.ir.Op;
import nnc.compiler.ir.Ops;
import nnc.compiler.ir.Pattern;
import nnc.compiler.ir.TensorType;
import nnc.runtime.kernels.ConvAlgorithm.Pass;
import nnc.runtime.kernels.ConvGeom;

/**
 * The weight gradient of {@link Conv2d}: {@code dw [O, C, KH, KW]} summed over the batch, and in
 * the same pass the bias gradient {@code db [O]} when a {@link BiasGrad} of the same dy is
 * {@linkplain BiasGrad#computedBy computed here}.
 */
public final class Conv2dDw implements Op {
    @Override
    public String name() {
        return "conv2d_dw";
    }

    @Override
    public String profileName(Node node) {
        return name() + " (" + Conv2d.algorithmLabel(node, Pass.WEIGHTS) + ")";
    }

    @Override
    public String planNote(Node node) {
        return Conv2d.algorithmLabel(node, Pass.WEIGHTS);
    }

    @Override
    public Pattern pattern() {
        return Pattern.OUT_FUSABLE;
    }

    @Override
    public TensorType infer(List<TensorType> in, Object attrs) {
        ConvGeom g = (ConvGeom) attrs;
        return TensorType.fixed(g.o(), g.c(), g.kh(), g.kw());
    }

    @Override
    public double[] evaluate(EvalContext ctx, Node node, double[][] in) {
        ConvGeom g = Conv2d.geom(node);
        double[] dw = new double[g.weightSize()];
        for (int b = 0; b < ctx.rows(); b++) {
            SpatialMath.forEachTerm(g, b, (xi, yi, wi) -> dw[wi] += in[0][yi] * in[1][xi]);
        }
        return dw;
    }

    @Override
    public CodeBlock emit(EmitContext ctx, Node node) {
        Node bias = Folding.computedHere(ctx.graph(), node, Ops.BIAS_GRAD);
        return CodeBlock.of("$L.conv2dBackwardWeights($L, $L, $L, $L, $L, $L, $L, $L)", ctx.kernels(), ctx.exec(),
                Conv2d.geomConstant(ctx, node), Conv2d.algorithmConstant(node, Pass.WEIGHTS), ctx.rows(),
                ctx.ref(node.input(0)), ctx.ref(node.input(1)), ctx.ref(node.id()),
                bias == null ? CodeBlock.of("null, 0") : ctx.ref(bias.id()));
    }

    @Override
    public long flops(Node node, List<TensorType> in) {
        // a multiply-add per weight tap and output position
        ConvGeom g = node.attrs(ConvGeom.class);
        return 2L * g.c() * g.kh() * g.kw() * g.outSize();
    }
}
