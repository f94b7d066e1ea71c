package nnc.compiler.ir.ops;

import com.palantir.javapoet.CodeBlock;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import nnc.compiler.ir.EmitContext;
import nnc.compiler.ir.EvalContext;
import nnc.compiler.ir.Node;
import nnc.compiler.ir.Op;
import nnc.compiler.ir.Pattern;
import nnc.compiler.ir.ShapeException;
import nnc.compiler.ir.TensorType;
import nnc.runtime.kernels.ChannelLayout;
import nnc.runtime.kernels.ConvAlgorithm;
import nnc.runtime.kernels.ConvGeom;
import nnc.runtime.kernels.DirectConvPool;
import nnc.runtime.kernels.PoolGeom;

/**
 * Inference only: {@code maxpool(relu(conv2d(x, w) + b))} as one kernel that never stores the
 * convolution's output ({@code K.conv2dMaxPool}): a direct convolution pools in registers
 * ({@link DirectConvPool}), a Winograd one as it converts each sample back from the transform's
 * layout. The pass {@code FuseConvPool} makes it from those four nodes. Same bits as the nodes
 * it replaces.
 * It has no gradient rule: training graphs keep the separate nodes, whose outputs the
 * backward pass reads.
 *
 * <pre>
 *   x [C, H, W]   w [O, C, KH, KW]   b [O]   ->   y [O, PH, PW]
 * </pre>
 */
public final class Conv2dMaxPool implements Op {
    /**
     * The fused layers: the convolution's geometry and algorithm, the pooling's geometry,
     * whether the ReLU is applied, and the convolution's layer (the generated code names the
     * geometry constant after it); and whether the input and the output are stored
     * channel-blocked ({@link ChannelLayout#BLOCKED}, set by {@code BlockChannels}): a Winograd
     * node may read blocked, a direct one may write blocked, each with a channel count that
     * every backend's block divides.
     */
    public record Attrs(ConvGeom conv, ConvAlgorithm algorithm, PoolGeom pool, boolean relu, String convLayer,
                        boolean blockedIn, boolean blockedOut) {
        public Attrs {
            if (!pool.halves(conv) || !pools(algorithm)) {
                throw new IllegalArgumentException("internal error: " + pool + " cannot be fused into " + conv);
            }
            if (blockedIn && (algorithm != ConvAlgorithm.WINOGRAD || conv.c() % ChannelLayout.BLOCK_MULTIPLE != 0)
                    || blockedOut && (algorithm != ConvAlgorithm.DIRECT || conv.o() % ChannelLayout.BLOCK_MULTIPLE != 0)) {
                throw new IllegalArgumentException("internal error: " + algorithm.name().toLowerCase(Locale.ROOT)
                        + " " + conv + " cannot read (" + blockedIn + ") or write (" + blockedOut + ") channel-blocked tensors");
            }
        }

        /** NCHW on both sides. */
        public Attrs(ConvGeom conv, ConvAlgorithm algorithm, PoolGeom pool, boolean relu, String convLayer) {
            this(conv, algorithm, pool, relu, convLayer, false, false);
        }

        /** The same with the input blocked ({@code in}) and the output blocked ({@code out}) as given. */
        public Attrs blocked(boolean in, boolean out) {
            return new Attrs(conv, algorithm, pool, relu, convLayer, in, out);
        }
    }

    /**
     * True when {@code pool}, reading {@code conv}'s output, can be fused with it: the
     * convolution runs direct or by Winograd and the pooling is a 2x2 max at stride 2 without
     * padding ({@link PoolGeom#halves}).
     */
    public static boolean fits(Node conv, Node pool) {
        if (!(conv.op() instanceof Conv2d && pool.op() instanceof Pool p && p.isMax())) {
            return false;
        }
        ConvAlgorithm a = Conv2d.algorithm(conv, ConvAlgorithm.Pass.FORWARD);
        return pools(a) && Pool.geom(pool).halves(Conv2d.geom(conv));
    }

    /** The attributes of {@code n} when it is a {@code conv2d_maxpool} node, else null. */
    public static Attrs attrsOf(Node n) {
        return n.op() instanceof Conv2dMaxPool ? n.attrs(Attrs.class) : null;
    }

    /** True when a convolution by {@code a} has a pooled kernel: direct and Winograd. */
    private static boolean pools(ConvAlgorithm a) {
        return a == ConvAlgorithm.DIRECT || a == ConvAlgorithm.WINOGRAD;
    }

    /** The attributes of the fused node of these layers (see {@link #fits}). */
    public static Attrs attrs(Node conv, Node pool, boolean relu) {
        return new Attrs(Conv2d.geom(conv), Conv2d.algorithm(conv, ConvAlgorithm.Pass.FORWARD), Pool.geom(pool), relu,
                conv.origin().layer());
    }

    @Override
    public String name() {
        return "conv2d_maxpool";
    }

    @Override
    public String profileName(Node node) {
        return name() + " (" + planNote(node) + ")";
    }

    /**
     * {@code direct + maxpool 2x2}, {@code winograd F(4x4,3x3) + maxpool 2x2}, and where a side
     * is channel-blocked {@code , NCHWc in} or {@code , NCHWc out}.
     */
    @Override
    public String planNote(Node node) {
        Attrs a = node.attrs(Attrs.class);
        return a.algorithm().label(a.conv()) + " + maxpool 2x2" + (a.blockedIn() ? ", NCHWc in" : "")
                + (a.blockedOut() ? ", NCHWc out" : "");
    }

    @Override
    public Pattern pattern() {
        return Pattern.OUT_FUSABLE;
    }

    /** Pointwise ops after the pooling run on each output plane while it is in cache. */
    @Override
    public boolean acceptsEpilogue() {
        return true;
    }

    @Override
    public TensorType infer(List<TensorType> in, Object attrs) throws ShapeException {
        Attrs a = (Attrs) attrs;
        ConvGeom g = a.conv();
        TensorType x = in.get(0);
        if (x.rank() != 3 || x.dim(0) != g.c() || x.dim(1) != g.h() || x.dim(2) != g.w()) {
            throw new ShapeException(name() + " expects an input [" + g.c() + ", " + g.h() + ", " + g.w() + "], got "
                    + x.shapeText());
        }
        if (in.get(1).size() != g.weightSize() || in.get(2).size() != g.o()) {
            throw new ShapeException(name() + " weight " + in.get(1).shapeText() + " or bias " + in.get(2).shapeText()
                    + " does not fit " + g);
        }
        return TensorType.batched(a.pool().c(), a.pool().oh(), a.pool().ow());
    }

    @Override
    public double[] evaluate(EvalContext ctx, Node node, double[][] in) {
        Attrs a = node.attrs(Attrs.class);
        ConvGeom g = a.conv();
        double[] s = new double[ctx.rows() * g.outSize()];
        for (int b = 0; b < ctx.rows(); b++) {
            SpatialMath.forEachTerm(g, b, (xi, yi, wi) -> s[yi] += in[0][xi] * in[1][wi]);
        }
        for (int i = 0; i < s.length; i++) {
            s[i] += in[2][(i / g.p()) % g.o()];
            s[i] = a.relu() ? Math.max(0, s[i]) : s[i];
        }
        double[] y = new double[ctx.rows() * a.pool().outSize()];
        Arrays.fill(y, Double.NEGATIVE_INFINITY);
        for (int b = 0; b < ctx.rows(); b++) {
            SpatialMath.forEachWindow(a.pool(), b, (xi, yi, k) -> y[yi] = xi < 0 ? y[yi] : Math.max(y[yi], s[xi]));
        }
        return y;
    }

    @Override
    public CodeBlock emit(EmitContext ctx, Node node) {
        Attrs a = node.attrs(Attrs.class);
        CodeBlock conv = Conv2d.geomConstant(ctx, a.conv(), a.convLayer());
        CodeBlock pool = Pool.geomConstant(ctx, a.pool(), node.origin().layer());
        if (a.blockedIn() || a.blockedOut()) {
            return CodeBlock.of("$L.conv2dMaxPool($L, $L, $T.$L, $L, $L, $T.$L, $T.$L, $L, $L, $L, $L, $L, $L)",
                    ctx.kernels(), ctx.exec(), conv, ConvAlgorithm.class, a.algorithm().name(), pool, a.relu(),
                    ChannelLayout.class, layout(a.blockedIn()), ChannelLayout.class, layout(a.blockedOut()), ctx.rows(),
                    ctx.ref(node.input(0)), ctx.ref(node.input(1)), ctx.ref(node.input(2)), ctx.ref(node.id()),
                    ctx.epilogue(node));
        }
        return CodeBlock.of("$L.conv2dMaxPool($L, $L, $T.$L, $L, $L, $L, $L, $L, $L, $L, $L)", ctx.kernels(),
                ctx.exec(), conv, ConvAlgorithm.class, a.algorithm().name(), pool, a.relu(), ctx.rows(), ctx.ref(node.input(0)), ctx.ref(node.input(1)),
                ctx.ref(node.input(2)), ctx.ref(node.id()), ctx.epilogue(node));
    }

    private static String layout(boolean blocked) {
        return (blocked ? ChannelLayout.BLOCKED : ChannelLayout.NCHW).name();
    }

    @Override
    public long flops(Node node, List<TensorType> in) {
        // what the nodes it replaces count: the convolution's multiply-adds, a bias add (and a
        // ReLU) per convolution output, a compare per window element
        Attrs a = node.attrs(Attrs.class);
        return (2L * a.conv().k() + (a.relu() ? 2 : 1)) * a.conv().outSize() + 4L * a.pool().outSize();
    }
}
