package nnc.compiler.ir;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import nnc.compiler.ir.ops.ActGrad;
import nnc.compiler.ir.ops.Activation;
import nnc.compiler.ir.ops.Add;
import nnc.compiler.ir.ops.BiasAdd;
import nnc.compiler.ir.ops.BiasGrad;
import nnc.compiler.ir.ops.Dropout;
import nnc.compiler.ir.ops.Loss;
import nnc.compiler.ir.ops.Matmul;
import nnc.compiler.ir.ops.MatmulDw;
import nnc.compiler.ir.ops.MatmulDx;
import nnc.compiler.ir.ops.Reshape;
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
 *   relu ... gelu elemwise     epilogue step                  act_grad
 *   act_grad      elemwise     epilogue step                  -
 *   dropout       elemwise     epilogue step (hashed mask)    dropout
 *   add           elemwise     epilogue step                  dy, dy
 *   softmax       reduction    softmax rows                   softmax_grad
 *   softmax_grad  reduction    softmax gradient rows          -
 *   reshape       injective    none (a view)                  reshape
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
    public static final Activation RELU = new Activation(Act.RELU);
    public static final Activation LEAKY_RELU = new Activation(Act.LEAKY_RELU);
    public static final Activation SIGMOID = new Activation(Act.SIGMOID);
    public static final Activation TANH = new Activation(Act.TANH);
    public static final Activation GELU = new Activation(Act.GELU);
    public static final ActGrad ACT_GRAD = new ActGrad();
    public static final Dropout DROPOUT = new Dropout();
    public static final Add ADD = new Add();
    public static final Softmax SOFTMAX = new Softmax();
    public static final SoftmaxGrad SOFTMAX_GRAD = new SoftmaxGrad();
    public static final Reshape RESHAPE = new Reshape();
    public static final Loss LOSS = new Loss();

    public static final List<Op> ALL = List.of(INPUT, TARGET, PARAM, MATMUL, MATMUL_DX, MATMUL_DW, BIAS_ADD,
            BIAS_GRAD, RELU, LEAKY_RELU, SIGMOID, TANH, GELU, ACT_GRAD, DROPOUT, ADD, SOFTMAX, SOFTMAX_GRAD,
            RESHAPE, LOSS);

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

    /** The activation op of a runtime activation kind. */
    public static Activation activation(Act act) {
        return switch (act) {
            case RELU -> RELU;
            case LEAKY_RELU -> LEAKY_RELU;
            case SIGMOID -> SIGMOID;
            case TANH -> TANH;
            case GELU -> GELU;
            case IDENTITY -> throw new IllegalArgumentException("identity is not an op");
        };
    }
}
