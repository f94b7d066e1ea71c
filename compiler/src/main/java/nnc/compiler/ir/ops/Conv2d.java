package nnc.compiler.ir.ops;

import com.palantir.javapoet.CodeBlock;
import java.util.List;
import nnc.compiler.ir.EmitContext;
import nnc.compiler.ir.EvalContext;
import nnc.compiler.ir.GradContext;
import nnc.compiler.ir.Node;
import nnc.compiler.ir.Op;
import nnc.compiler.ir.Ops;
import nnc.compiler.ir.Pattern;
import nnc.compiler.ir.ShapeException;
import nnc.compiler.ir.TensorType;
import nnc.runtime.kernels.ConvAlgorithm;
import nnc.runtime.kernels.ConvAlgorithm.Pass;
import nnc.runtime.kernels.ConvCost;
import nnc.runtime.kernels.ConvGeom;
import nnc.runtime.kernels.Kernels;

/**
 * 2-D convolution without bias; {@code attrs} is its {@link ConvGeom}.
 *
 * <pre>
 *   x [C, H, W]   w [O, C, KH, KW]   ->   y [O, OH, OW]
 *   dx = Conv2dDx(dy, w)      dw = Conv2dDw(dy, x)
 * </pre>
 */
public final class Conv2d implements Op {
    @Override
    public String profileName(Node node) {
        return name() + " (" + algorithmLabel(node, Pass.FORWARD) + ")";
    }

    @Override
    public String planNote(Node node) {
        return algorithmLabel(node, Pass.FORWARD);
    }

    /**
     * The algorithm pass {@code pass} of convolution {@code n} runs, chosen here, when the model
     * is compiled, by {@link ConvCost} from the geometry alone; the generated call names it.
     */
    static ConvAlgorithm algorithm(Node n, Pass pass) {
        return ConvCost.choose(geom(n), pass);
    }

    /** What profiles and plans call that choice: Winograd's name, else the backend's GEMM path. */
    static String algorithmLabel(Node n, Pass pass) {
        ConvAlgorithm a = algorithm(n, pass);
        return a == ConvAlgorithm.GEMM ? Kernels.active().convAlgorithm(geom(n)) : a.label(geom(n));
    }

    /** {@code ConvAlgorithm.WINOGRAD} or {@code ConvAlgorithm.GEMM}, for a generated call. */
    static CodeBlock algorithmConstant(Node n, Pass pass) {
        return CodeBlock.of("$T.$L", ConvAlgorithm.class, algorithm(n, pass).name());
    }

    @Override
    public String name() {
        return "conv2d";
    }

    @Override
    public Pattern pattern() {
        return Pattern.OUT_FUSABLE;
    }

    @Override
    public boolean acceptsEpilogue() {
        return true;
    }

    static ConvGeom geom(Node n) {
        return n.attrs(ConvGeom.class);
    }

    /** Emits (once per class) the geometry constant of a convolution node. */
    static CodeBlock geomConstant(EmitContext ctx, Node n) {
        return geomConstant(ctx, geom(n), n.origin().layer());
    }

    /** The constant of geometry {@code g}, named after {@code layer} when it is the first. */
    static CodeBlock geomConstant(EmitContext ctx, ConvGeom g, String layer) {
        return ctx.constant(ConvGeom.class, CodeBlock.of("new $T($L, $L, $L, $L, $L, $L, $L, $L, $L, $L, $L, $L)",
                ConvGeom.class, g.c(), g.h(), g.w(), g.o(), g.kh(), g.kw(), g.sh(), g.sw(), g.pt(), g.pl(), g.oh(), g.ow()),
                layer.replace('/', '_'));
    }

    @Override
    public TensorType infer(List<TensorType> in, Object attrs) throws ShapeException {
        ConvGeom g = (ConvGeom) attrs;
        TensorType x = in.get(0);
        TensorType w = in.get(1);
        if (x.rank() != 3 || x.dim(0) != g.c() || x.dim(1) != g.h() || x.dim(2) != g.w()) {
            throw new ShapeException("conv2d expects an input [" + g.c() + ", " + g.h() + ", " + g.w() + "], got "
                    + x.shapeText());
        }
        if (w.size() != g.weightSize()) {
            throw new ShapeException("conv2d weight " + w.shapeText() + " does not fit " + g);
        }
        return TensorType.batched(g.o(), g.oh(), g.ow());
    }

    @Override
    public int[] gradient(GradContext g, Node node, int dy) {
        return new int[] {
            g.needs(0) ? g.add(Ops.CONV2D_DX, node.attrs(), dy, node.input(1)) : -1,
            g.needs(1) ? g.add(Ops.CONV2D_DW, node.attrs(), dy, node.input(0)) : -1
        };
    }

    @Override
    public double[] evaluate(EvalContext ctx, Node node, double[][] in) {
        ConvGeom g = geom(node);
        double[] y = new double[ctx.rows() * g.outSize()];
        for (int b = 0; b < ctx.rows(); b++) {
            SpatialMath.forEachTerm(g, b, (xi, yi, wi) -> y[yi] += in[0][xi] * in[1][wi]);
        }
        return y;
    }

    @Override
    public CodeBlock emit(EmitContext ctx, Node node) {
        return CodeBlock.of("$L.conv2d($L, $L, $L, $L, $L, $L, $L, $L)", ctx.kernels(), ctx.exec(),
                geomConstant(ctx, node), algorithmConstant(node, Pass.FORWARD), ctx.rows(), ctx.ref(node.input(0)), ctx.ref(node.input(1)), ctx.ref(node.id()), ctx.epilogue(node));
    }

    @Override
    public long flops(Node node, List<TensorType> in) {
        // a multiply-add per weight tap and output position
        ConvGeom g = node.attrs(ConvGeom.class);
        return 2L * g.c() * g.kh() * g.kw() * g.outSize();
    }
}
