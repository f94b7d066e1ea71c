package nnc.compiler.ir;

import nnc.compiler.ir.ops.Activation;
import nnc.runtime.kernels.Act;
import nnc.runtime.model.Objective;
import nnc.runtime.model.Serving;

/**
 * What a network's output means to a caller of the model, from the op that ends the network
 * and what it was trained for: a classifier's logits (a prediction applies a softmax), its
 * own softmax's probabilities (applied once, there), a sigmoid's probabilities, or values.
 * Kept with the op table, where ops may be told apart.
 */
public final class NetworkOutput {
    private NetworkOutput() {
    }

    public static Serving.Output of(Node out, Objective objective) {
        boolean softmax = out.op() == Ops.SOFTMAX;
        boolean sigmoid = out.op() instanceof Activation a && a.act() == Act.SIGMOID;
        if (objective == Objective.CLASSIFY) {
            return softmax ? Serving.Output.PROBABILITIES : Serving.Output.LOGITS;
        }
        if (objective == Objective.BINARY || (objective == Objective.NONE && sigmoid)) {
            return Serving.Output.BINARY;
        }
        return objective == Objective.NONE && softmax ? Serving.Output.PROBABILITIES : Serving.Output.VALUES;
    }
}
