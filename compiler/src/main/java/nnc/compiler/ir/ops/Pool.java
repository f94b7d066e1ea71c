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
import nnc.runtime.kernels.PoolGeom;

/**
 * Max or average pooling; {@code attrs} is the {@link PoolGeom}. {@code [C, H, W] -> [C, OH, OW]}.
 * Gradients: max pooling sends each window's gradient to its first maximum
 * ({@code maxpool_dx(dy, x)}); average pooling spreads it evenly ({@code avgpool_dx(dy)}).
 */
public final class Pool implements Op {
    private final boolean max;

    public Pool(boolean max) {
        this.max = max;
    }

    @Override
    public String name() {
        return max ? "maxpool" : "avgpool";
    }

    /** {@code maxpool (2x2 simd)}: the profile names the kernel's path (the scalar loops where they run). */
    @Override
    public String profileName(Node node) {
        return name() + " (" + nnc.runtime.kernels.Kernels.active().poolAlgorithm(geom(node)) + ")";
    }

    @Override
    public Pattern pattern() {
        return Pattern.REDUCTION;
    }

    /** Pointwise ops after pooling run on each output plane while it is in cache. */
    @Override
    public boolean acceptsEpilogue() {
        return true;
    }

    static PoolGeom geom(Node n) {
        return n.attrs(PoolGeom.class);
    }

    /** True for max pooling, false for average pooling. */
    public boolean isMax() {
        return max;
    }

    static CodeBlock geomConstant(EmitContext ctx, Node n) {
        return geomConstant(ctx, geom(n), n.origin().layer());
    }

    /** The constant of geometry {@code g}, named after {@code layer} when it is the first. */
    static CodeBlock geomConstant(EmitContext ctx, PoolGeom g, String layer) {
        return ctx.constant(PoolGeom.class, CodeBlock.of("new $T($L, $L, $L, $L, $L, $L, $L, $L, $L, $L, $L)",
                PoolGeom.class, g.c(), g.h(), g.w(), g.kh(), g.kw(), g.sh(), g.sw(), g.pt(), g.pl(), g.oh(), g.ow()),
                layer.replace('/', '_'));
    }

    @Override
    public TensorType infer(List<TensorType> in, Object attrs) throws ShapeException {
        PoolGeom g = (PoolGeom) attrs;
        TensorType x = in.get(0);
        if (x.rank() != 3 || x.dim(0) != g.c() || x.dim(1) != g.h() || x.dim(2) != g.w()) {
            throw new ShapeException(name() + " expects [" + g.c() + ", " + g.h() + ", " + g.w() + "], got "
                    + x.shapeText());
        }
        return TensorType.batched(g.c(), g.oh(), g.ow());
    }

    @Override
    public int[] gradient(GradContext g, Node node, int dy) {
        return new int[] {max ? g.add(Ops.MAXPOOL_DX, node.attrs(), dy, node.input(0))
                : g.add(Ops.AVGPOOL_DX, node.attrs(), dy)};
    }

    @Override
    public double[] evaluate(EvalContext ctx, Node node, double[][] in) {
        PoolGeom g = geom(node);
        int size = ctx.rows() * g.outSize();
        double[] y = new double[size];
        if (max) {
            java.util.Arrays.fill(y, Double.NEGATIVE_INFINITY);
            for (int b = 0; b < ctx.rows(); b++) {
                SpatialMath.forEachWindow(g, b, (xi, yi, k) -> {
                    if (xi >= 0) {
                        y[yi] = Math.max(y[yi], in[0][xi]);
                    }
                });
            }
        } else {
            double inv = 1.0 / (g.kh() * g.kw());
            for (int b = 0; b < ctx.rows(); b++) {
                SpatialMath.forEachWindow(g, b, (xi, yi, k) -> {
                    if (xi >= 0) {
                        y[yi] += in[0][xi] * inv;
                    }
                });
            }
        }
        return y;
    }

    @Override
    public CodeBlock emit(EmitContext ctx, Node node) {
        return CodeBlock.of("$L.$L($L, $L, $L, $L, $L, $L)", ctx.kernels(), max ? "maxPool" : "avgPool", ctx.exec(),
                geomConstant(ctx, node), ctx.rows(), ctx.ref(node.input(0)), ctx.ref(node.id()), ctx.epilogue(node));
    }

    @Override
    public long flops(Node node, List<TensorType> in) {
        // one compare or add per window element and output position
        PoolGeom g = node.attrs(PoolGeom.class);
        return (long) g.kh() * g.kw() * g.outSize();
    }
}
