package nnc.compiler.ir;

import nnc.runtime.model.Objective;
import nnc.runtime.model.Serving;

/**
 * What a network's output means to a caller of the model, from the op that ends the network
 * and what it was trained for: a classifier's logits (a prediction applies a softmax), its
 * own softmax's probabilities (applied once, there), a binary classifier's sigmoid
 * probabilities, or values. A model without a train declaration outputs values, whatever
 * ends it: nothing says it classifies. Kept with the op table, where ops may be told apart.
 */
public final class NetworkOutput {
    private NetworkOutput() {
    }

    public static Serving.Output of(Node out, Objective objective) {
        return switch (objective) {
            case CLASSIFY -> out.op() == Ops.SOFTMAX ? Serving.Output.PROBABILITIES : Serving.Output.LOGITS;
            case BINARY -> Serving.Output.BINARY;
            case REGRESS, NONE -> Serving.Output.VALUES;
        };
    }
}
