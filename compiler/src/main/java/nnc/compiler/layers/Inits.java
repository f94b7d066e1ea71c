package nnc.compiler.layers;

import java.util.Set;
import nnc.compiler.diag.Span;
import nnc.compiler.ir.InitSpec;
import nnc.compiler.ir.ShapeException;
import nnc.compiler.ir.TensorType;

/** Initial values of weights: He for ReLU-family layers, Glorot otherwise, unless overridden. */
final class Inits {
    private static final Set<String> RELU_FAMILY = Set.of("relu", "leaky_relu", "gelu");

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
        String after = x.activationAfter();
        return after != null && RELU_FAMILY.contains(after) ? new InitSpec.He(fanIn) : new InitSpec.Glorot(fanIn, fanOut);
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
