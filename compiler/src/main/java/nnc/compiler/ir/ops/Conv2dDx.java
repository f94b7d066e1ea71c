package nnc.compiler.ir.ops;

import com.palantir.javapoet.CodeBlock;
import java.util.List;
import nnc.compiler.ir.EmitContext;
import nnc.compiler.ir.EvalContext;
import nnc.compiler.ir.Node;
import nnc.compiler.ir.Op;
import nnc.compiler.ir.Pattern;
import nnc.compiler.ir.TensorType;
import nnc.runtime.kernels.ConvAlgorithm.Pass;
import nnc.runtime.kernels.ConvGeom;

/** The input gradient of {@link Conv2d}: {@code dx [C, H, W]} from {@code dy [O, OH, OW]} and {@code w}. */
public final class Conv2dDx implements Op {
    @Override
    public String name() {
        return "conv2d_dx";
    }

    @Override
    public String profileName(Node node) {
        return name() + " (" + Conv2d.algorithmLabel(node, Pass.DATA) + ")";
    }

    @Override
    public String planNote(Node node) {
        return Conv2d.algorithmLabel(node, Pass.DATA);
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
        ConvGeom g = (ConvGeom) attrs;
        return TensorType.batched(g.c(), g.h(), g.w());
    }

    @Override
    public double[] evaluate(EvalContext ctx, Node node, double[][] in) {
        ConvGeom g = Conv2d.geom(node);
        double[] dx = new double[ctx.rows() * g.inSize()];
        for (int b = 0; b < ctx.rows(); b++) {
            SpatialMath.forEachTerm(g, b, (xi, yi, wi) -> dx[xi] += in[0][yi] * in[1][wi]);
        }
        return dx;
    }

    @Override
    public CodeBlock emit(EmitContext ctx, Node node) {
        return CodeBlock.of("$L.conv2dBackwardData($L, $L, $L, $L, $L, $L, $L, $L)", ctx.kernels(), ctx.exec(),
                Conv2d.geomConstant(ctx, node), Conv2d.algorithmConstant(node, Pass.DATA), ctx.rows(), ctx.ref(node.input(0)), ctx.ref(node.input(1)),
                ctx.ref(node.id()), ctx.epilogue(node));
    }

    @Override
    public long flops(Node node, List<TensorType> in) {
        // a multiply-add per weight tap and output position
        ConvGeom g = node.attrs(ConvGeom.class);
        return 2L * g.c() * g.kh() * g.kw() * g.outSize();
    }
}
