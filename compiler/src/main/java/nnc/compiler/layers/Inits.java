package nnc.compiler.layers;

import nnc.compiler.diag.Span;
import nnc.compiler.ir.InitSpec;
import nnc.compiler.ir.ShapeException;
import nnc.compiler.ir.TensorType;
import nnc.runtime.kernels.Act;
import nnc.runtime.kernels.act.ActivationFunction;

/**
 * Initial values of weights, unless overridden: what the activation after the layer prefers
 * (its {@code ActivationFunction.init()}: He for the ReLU family), Glorot otherwise.
 */
final class Inits {
    private Inits() {
    }

    /** The weight initialiser from {@code init:} or {@code weight:}, or the default for the activation. */
    static InitSpec weight(Expansion x, Args args, TensorType type, int fanIn, int fanOut) throws ShapeException {
        if (args.has("weight")) {
            return literal(args, "weight", type);
        }
        if (args.has("init")) {
            return of((Args.Init) args.get("init"), fanIn, fanOut);
        }
        Act after = x.activationAfter() == null ? null : Act.byName(x.activationAfter());
        return after != null && after.function().init() == ActivationFunction.Init.HE
                ? new InitSpec.He(fanIn) : new InitSpec.Glorot(fanIn, fanOut);
    }

    static InitSpec of(Args.Init init, int fanIn, int fanOut) {
        return switch (init) {
            case Args.Init.He h -> new InitSpec.He(fanIn);
            case Args.Init.Glorot g -> new InitSpec.Glorot(fanIn, fanOut);
            case Args.Init.Normal n -> new InitSpec.Normal(n.std());
            case Args.Init.Uniform u -> new InitSpec.Uniform(u.limit());
            case Args.Init.Constant c -> new InitSpec.Constant(c.value());
        };
    }

    /** Fixed values from the file; their dimensions must be the parameter's. */
    static InitSpec literal(Args args, String arg, TensorType type) throws ShapeException {
        Args.Tensor t = (Args.Tensor) args.get(arg);
        if (!java.util.Arrays.equals(t.dims(), type.dims())) {
            Span at = args.span(arg);
            throw new ShapeException(args.callee() + ": '" + arg + "' is " + java.util.Arrays.toString(t.dims())
                    + " but this layer needs " + type.shapeText(), null, at);
        }
        return new InitSpec.Values(t.values());
    }
}
