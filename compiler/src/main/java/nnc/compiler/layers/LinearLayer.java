package nnc.compiler.layers;

import java.util.List;
import nnc.compiler.ir.InitSpec;
import nnc.compiler.ir.Ops;
import nnc.compiler.ir.ShapeException;
import nnc.compiler.ir.TensorType;

/**
 * {@code linear(units)}: {@code y = x . W^T + b} with {@code W [units, in]} and {@code b [units]}.
 * Expands to {@code matmul} then {@code bias_add}. {@code bias: false} drops the bias;
 * {@code weight:} and {@code bias:} with numbers fix the values.
 */
final class LinearLayer implements Layer {
    @Override
    public String name() {
        return "linear";
    }

    @Override
    public List<ArgSpec> signature() {
        return List.of(
                ArgSpec.required("units", ArgType.POSITIVE_INT),
                ArgSpec.named("bias", ArgType.ANY, Boolean.TRUE),
                ArgSpec.named("init", ArgType.INIT, ArgSpec.OPTIONAL),
                ArgSpec.named("weight", ArgType.NUMBERS, ArgSpec.OPTIONAL));
    }

    @Override
    public String doc() {
        return "fully connected layer: y = x W^T + b, W [units, in]";
    }

    @Override
    public int expand(Expansion x, List<Integer> inputs, Args args) throws ShapeException {
        int in = inputs.get(0);
        TensorType t = x.type(in);
        if (t.rank() != 1) {
            throw new ShapeException("linear expects a flat input [features], got " + t.shapeText(),
                    "insert 'flatten' before 'linear'");
        }
        int units = args.integer("units");
        TensorType wType = TensorType.fixed(units, t.dim(0));
        int w = x.param("weight", wType, Inits.weight(x, args, wType, t.dim(0), units), true);
        InitSpec biasInit = bias(args, units);
        int b = biasInit == null ? -1 : x.param("bias", TensorType.fixed(units), biasInit, true);
        int y = x.op(Ops.MATMUL, null, in, w);
        return b < 0 ? y : x.op(Ops.BIAS_ADD, null, y, b);
    }

    /** The bias initialiser, or null for {@code bias: false}. */
    static InitSpec bias(Args args, int units) throws ShapeException {
        Object bias = args.get("bias");
        if (bias instanceof Boolean b) {
            return b ? new InitSpec.Constant(0) : null;
        }
        Val v = (Val) bias;
        if (v instanceof Val.Name n && (n.value().equals("true") || n.value().equals("false"))) {
            return n.value().equals("true") ? new InitSpec.Constant(0) : null;
        }
        Object tensor = Binder.tryConvert(ArgType.NUMBERS, List.of(), v);
        Val.Num unfit = tensor == null ? Binder.notAFloat(v, false) : null;
        if (unfit != null) {
            throw new ShapeException(Binder.unfit(args.callee(), "bias", unfit), null, unfit.span());
        }
        if (!(tensor instanceof Args.Tensor t)) {
            throw new ShapeException(args.callee() + ": 'bias' must be true, false or a list of numbers, got "
                    + v.describe(), null, v.span());
        }
        if (t.dims().length != 1 || t.dims()[0] != units) {
            throw new ShapeException(args.callee() + ": 'bias' has " + t.values().length + " values but this layer has "
                    + units + " outputs", null, v.span());
        }
        return new InitSpec.Values(t.values());
    }
}
