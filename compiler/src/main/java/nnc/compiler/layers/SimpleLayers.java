package nnc.compiler.layers;

import java.util.List;
import nnc.compiler.ir.Ops;
import nnc.compiler.ir.ShapeException;
import nnc.compiler.ir.TensorType;
import nnc.runtime.kernels.Act;

/** The layers without parameters: activations, softmax, dropout, flatten, identity, add. */
final class SimpleLayers {
    private SimpleLayers() {
    }

    /** One layer per activation ({@link Act}): relu, sigmoid, ..., and leaky_relu(alpha). */
    record ActivationLayer(Act act) implements Layer {
        @Override
        public String name() {
            return act.function().name();
        }

        @Override
        public List<ArgSpec> signature() {
            return act.function().takesAlpha()
                    ? List.of(ArgSpec.positional("alpha", ArgType.NUMBER, act.function().defaultAlpha())) : List.of();
        }

        @Override
        public String doc() {
            return act.function().formula();
        }

        @Override
        public int expand(Expansion x, List<Integer> inputs, Args args) throws ShapeException {
            Float alpha = null;
            if (act.function().takesAlpha()) {
                double a = args.number("alpha");
                if (a < 0) {
                    throw new ShapeException(name() + ": 'alpha' must be >= 0, got " + a, null, args.span("alpha"));
                }
                alpha = (float) a;
            }
            return x.op(Ops.activation(act), alpha, inputs.get(0));
        }
    }

    record Identity() implements Layer {
        @Override
        public String name() {
            return "identity";
        }

        @Override
        public List<ArgSpec> signature() {
            return List.of();
        }

        @Override
        public String doc() {
            return "no activation: the value unchanged (a regression output)";
        }

        @Override
        public boolean keepsScale() {
            return true;
        }

        @Override
        public int expand(Expansion x, List<Integer> inputs, Args args) {
            return inputs.get(0);
        }
    }

    record SoftmaxLayer() implements Layer {
        @Override
        public String name() {
            return "softmax";
        }

        @Override
        public List<ArgSpec> signature() {
            return List.of();
        }

        @Override
        public String doc() {
            return "probabilities over classes: exp(x) / sum(exp(x)), per sample";
        }

        @Override
        public int expand(Expansion x, List<Integer> inputs, Args args) throws ShapeException {
            return x.op(Ops.SOFTMAX, null, inputs.get(0));
        }
    }

    record DropoutLayer() implements Layer {
        @Override
        public String name() {
            return "dropout";
        }

        @Override
        public List<ArgSpec> signature() {
            return List.of(ArgSpec.required("p", ArgType.PROBABILITY));
        }

        @Override
        public String doc() {
            return "zeroes each value with probability p while training, scales the rest by 1/(1-p)";
        }

        @Override
        public boolean keepsScale() {
            return true;
        }

        @Override
        public int expand(Expansion x, List<Integer> inputs, Args args) throws ShapeException {
            float p = (float) args.number("p");
            return p == 0f ? inputs.get(0) : x.op(Ops.DROPOUT, nnc.compiler.ir.ops.Dropout.Attrs.of(p, x.layerName()), inputs.get(0));
        }
    }

    record FlattenLayer() implements Layer {
        @Override
        public String name() {
            return "flatten";
        }

        @Override
        public List<ArgSpec> signature() {
            return List.of();
        }

        @Override
        public String doc() {
            return "[C, H, W] -> [C*H*W]";
        }

        @Override
        public int expand(Expansion x, List<Integer> inputs, Args args) throws ShapeException {
            TensorType t = x.type(inputs.get(0));
            if (t.rank() == 1) {
                return inputs.get(0);
            }
            return x.op(Ops.RESHAPE, TensorType.fixed(t.size()), inputs.get(0));
        }
    }

    /** {@code a + b}. */
    record AddLayer() implements Layer {
        @Override
        public String name() {
            return "add";
        }

        @Override
        public List<ArgSpec> signature() {
            return List.of();
        }

        @Override
        public String doc() {
            return "element-wise sum of two values of one shape (written a + b)";
        }

        @Override
        public int inputs() {
            return 2;
        }

        @Override
        public int expand(Expansion x, List<Integer> inputs, Args args) throws ShapeException {
            return x.op(Ops.ADD, null, inputs.get(0), inputs.get(1));
        }
    }
}
