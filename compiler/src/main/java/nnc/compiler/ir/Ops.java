package nnc.compiler.ir;

import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import nnc.compiler.ir.ops.ActGrad;
import nnc.compiler.ir.ops.Activation;
import nnc.compiler.ir.ops.Add;
import nnc.compiler.ir.ops.BiasAdd;
import nnc.compiler.ir.ops.BatchNorm;
import nnc.compiler.ir.ops.BatchNormGrad;
import nnc.compiler.ir.ops.BatchNormInfer;
import nnc.compiler.ir.ops.BiasGrad;
import nnc.compiler.ir.ops.Concat;
import nnc.compiler.ir.ops.Conv2d;
import nnc.compiler.ir.ops.Conv2dDw;
import nnc.compiler.ir.ops.Conv2dDx;
import nnc.compiler.ir.ops.Conv2dMaxPool;
import nnc.compiler.ir.ops.Dropout;
import nnc.compiler.ir.ops.Loss;
import nnc.compiler.ir.ops.Matmul;
import nnc.compiler.ir.ops.MatmulDw;
import nnc.compiler.ir.ops.MatmulDx;
import nnc.compiler.ir.ops.Pool;
import nnc.compiler.ir.ops.PoolDx;
import nnc.compiler.ir.ops.Reshape;
import nnc.compiler.ir.ops.Slice;
import nnc.compiler.ir.ops.Softmax;
import nnc.compiler.ir.ops.SoftmaxGrad;
import nnc.compiler.ir.ops.Source;
import nnc.runtime.kernels.Act;

/**
 * The op table: every IR operation, once. Each entry's class holds its shape rule, gradient
 * rule, fusion pattern, reference semantics and kernel call.
 *
 * <pre>
 *   op            pattern      kernel                         gradient
 *   input/target  source       -                              -
 *   param         source       -                              -
 *   matmul        out-fusable  gemm  x.W^T                    matmul_dx, matmul_dw
 *   matmul_dx     out-fusable  gemm  dy.W                     -
 *   matmul_dw     out-fusable  gemm  dy^T.x                   -
 *   bias_add      broadcast    epilogue step                  dy, bias_grad
 *   bias_grad     reduction    sumRows / sumChannels          -
 *   relu, gelu .. elemwise     epilogue step (one op per Act) act_grad
 *   act_grad      elemwise     epilogue step                  -
 *   dropout       elemwise     epilogue step (hashed mask)    dropout
 *   add           elemwise     epilogue step                  dy, dy
 *   softmax       reduction    softmax rows                   softmax_grad
 *   softmax_grad  reduction    softmax gradient rows          -
 *   reshape       injective    none (a view)                  reshape
 *   conv2d        out-fusable  im2col + gemm                  conv2d_dx, conv2d_dw
 *   conv2d_dx     out-fusable  gemm + col2im                  -
 *   conv2d_dw     out-fusable  im2col + gemm, summed          -
 *   maxpool       reduction    window max                     maxpool_dx
 *   avgpool       reduction    window mean                    avgpool_dx
 *   maxpool_dx, avgpool_dx      reduction                     -
 *   conv2d_maxpool out-fusable conv + bias + relu + 2x2 max    none: made by FuseConvPool, inference only
 *   batchnorm     opaque       batch statistics + affine      batchnorm_dx, batchnorm_dgamma, bias_grad
 *   batchnorm_dx, batchnorm_dgamma  reduction                 -
 *   batchnorm_infer broadcast  epilogue step (running stats)  -
 *   concat        injective    block copies                   slice
 *   slice         injective    block copies                   -
 *   loss          opaque       loss (+ gradient)              (its value is the gradient)
 * </pre>
 */
public final class Ops {
    private Ops() {
    }

    public static final Source INPUT = new Source(Source.Kind.INPUT);
    public static final Source TARGET = new Source(Source.Kind.TARGET);
    public static final Source PARAM = new Source(Source.Kind.PARAM);
    public static final Matmul MATMUL = new Matmul();
    public static final MatmulDx MATMUL_DX = new MatmulDx();
    public static final MatmulDw MATMUL_DW = new MatmulDw();
    public static final BiasAdd BIAS_ADD = new BiasAdd();
    public static final BiasGrad BIAS_GRAD = new BiasGrad();
    /** One op per activation ({@code relu}, {@code gelu}, ...), in {@link Act} order. */
    private static final Map<Act, Activation> ACTIVATIONS = new EnumMap<>(Act.class);

    static {
        for (Act a : Act.values()) {
            ACTIVATIONS.put(a, new Activation(a));
        }
    }

    public static final ActGrad ACT_GRAD = new ActGrad();
    public static final Dropout DROPOUT = new Dropout();
    public static final Add ADD = new Add();
    public static final Softmax SOFTMAX = new Softmax();
    public static final SoftmaxGrad SOFTMAX_GRAD = new SoftmaxGrad();
    public static final Reshape RESHAPE = new Reshape();
    public static final Conv2d CONV2D = new Conv2d();
    public static final Conv2dDx CONV2D_DX = new Conv2dDx();
    public static final Conv2dDw CONV2D_DW = new Conv2dDw();
    public static final Pool MAXPOOL = new Pool(true);
    public static final Pool AVGPOOL = new Pool(false);
    public static final PoolDx MAXPOOL_DX = new PoolDx(true);
    public static final PoolDx AVGPOOL_DX = new PoolDx(false);
    public static final Conv2dMaxPool CONV2D_MAXPOOL = new Conv2dMaxPool();
    public static final BatchNorm BATCHNORM = new BatchNorm();
    public static final BatchNormGrad BATCHNORM_DX = new BatchNormGrad(true);
    public static final BatchNormGrad BATCHNORM_DGAMMA = new BatchNormGrad(false);
    public static final BatchNormInfer BATCHNORM_INFER = new BatchNormInfer();
    public static final Concat CONCAT = new Concat();
    public static final Slice SLICE = new Slice();
    public static final Loss LOSS = new Loss();

    public static final List<Op> ALL = concat(List.of(INPUT, TARGET, PARAM, MATMUL, MATMUL_DX, MATMUL_DW, BIAS_ADD,
            BIAS_GRAD), ACTIVATIONS.values(), List.of(ACT_GRAD, DROPOUT, ADD, SOFTMAX, SOFTMAX_GRAD,
            RESHAPE, CONV2D, CONV2D_DX, CONV2D_DW, MAXPOOL, AVGPOOL, MAXPOOL_DX, AVGPOOL_DX, CONV2D_MAXPOOL, BATCHNORM,
            BATCHNORM_DX,
            BATCHNORM_DGAMMA, BATCHNORM_INFER, CONCAT, SLICE, LOSS));

    @SafeVarargs
    private static List<Op> concat(java.util.Collection<? extends Op>... parts) {
        List<Op> all = new java.util.ArrayList<>();
        for (java.util.Collection<? extends Op> p : parts) {
            all.addAll(p);
        }
        return List.copyOf(all);
    }

    private static final Map<String, Op> BY_NAME = new LinkedHashMap<>();

    static {
        for (Op op : ALL) {
            if (BY_NAME.put(op.name(), op) != null) {
                throw new IllegalStateException("two ops named " + op.name());
            }
        }
    }

    public static Op byName(String name) {
        return BY_NAME.get(name);
    }

    /** The op of an activation. */
    public static Activation activation(Act act) {
        return ACTIVATIONS.get(act);
    }
}
