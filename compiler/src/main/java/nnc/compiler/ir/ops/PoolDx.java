package nnc.compiler.ir.ops;

import com.palantir.javapoet.CodeBlock;
import java.util.List;
import nnc.compiler.ir.EmitContext;
import nnc.compiler.ir.EvalContext;
import nnc.compiler.ir.Node;
import nnc.compiler.ir.Op;
import nnc.compiler.ir.Pattern;
import nnc.compiler.ir.TensorType;
import nnc.runtime.kernels.PoolGeom;

/** The input gradient of {@link Pool}: inputs (dy, x) for max pooling, (dy) for average pooling. */
public final class PoolDx implements Op {
    private final boolean max;

    public PoolDx(boolean max) {
        this.max = max;
    }

    @Override
    public String name() {
        return max ? "maxpool_dx" : "avgpool_dx";
    }

    @Override
    public String profileName(Node node) {
        return name() + " (" + nnc.runtime.kernels.Kernels.active().poolAlgorithm(Pool.geom(node)) + ")";
    }

    @Override
    public Pattern pattern() {
        return Pattern.REDUCTION;
    }

    /** The gradient of the activation before the pooling runs per plane of dx: one pass. */
    @Override
    public boolean acceptsEpilogue() {
        return true;
    }

    @Override
    public TensorType infer(List<TensorType> in, Object attrs) {
        PoolGeom g = (PoolGeom) attrs;
        return TensorType.batched(g.c(), g.h(), g.w());
    }

    @Override
    public double[] evaluate(EvalContext ctx, Node node, double[][] in) {
        PoolGeom g = Pool.geom(node);
        double[] dx = new double[ctx.rows() * g.inSize()];
        if (max) {
            // The first maximum of each window receives the window's gradient.
            int[] arg = new int[ctx.rows() * g.outSize()];
            double[] best = new double[arg.length];
            java.util.Arrays.fill(arg, -1);
            for (int b = 0; b < ctx.rows(); b++) {
                SpatialMath.forEachWindow(g, b, (xi, yi, k) -> {
                    if (xi >= 0 && (arg[yi] < 0 || in[1][xi] > best[yi])) {
                        arg[yi] = xi;
                        best[yi] = in[1][xi];
                    }
                });
            }
            for (int yi = 0; yi < arg.length; yi++) {
                dx[arg[yi]] += in[0][yi];
            }
        } else {
            double inv = 1.0 / (g.kh() * g.kw());
            for (int b = 0; b < ctx.rows(); b++) {
                SpatialMath.forEachWindow(g, b, (xi, yi, k) -> {
                    if (xi >= 0) {
                        dx[xi] += in[0][yi] * inv;
                    }
                });
            }
        }
        return dx;
    }

    @Override
    public CodeBlock emit(EmitContext ctx, Node node) {
        if (max) {
            return CodeBlock.of("$L.maxPoolBackward($L, $L, $L, $L, $L, $L, $L)", ctx.kernels(), ctx.exec(),
                    Pool.geomConstant(ctx, node), ctx.rows(), ctx.ref(node.input(0)), ctx.ref(node.input(1)),
                    ctx.ref(node.id()), ctx.epilogue(node));
        }
        return CodeBlock.of("$L.avgPoolBackward($L, $L, $L, $L, $L, $L)", ctx.kernels(), ctx.exec(),
                Pool.geomConstant(ctx, node), ctx.rows(), ctx.ref(node.input(0)), ctx.ref(node.id()), ctx.epilogue(node));
    }

    @Override
    public long flops(Node node, List<TensorType> in) {
        // one compare or add per window element and output position
        PoolGeom g = node.attrs(PoolGeom.class);
        return (long) g.kh() * g.kw() * g.outSize();
    }
}
