package nnc.compiler.ir;

import nnc.compiler.diag.Span;

/**
 * Where an IR node comes from: the span of the layer call in the .nn file, the layer's
 * name ({@code linear_1}, {@code Residual_1/conv2d_2} inside a block), the call as written,
 * and the phase of the training step it belongs to. Generated code cites it on every kernel call.
 */
public record Origin(Span span, String layer, String call, Phase phase) {
    /** The part of a training step a node belongs to. A fused kernel never spans two. */
    public enum Phase {
        FORWARD, LOSS, BACKWARD
    }

    /** A forward node of a layer. */
    public static Origin forward(Span span, String layer, String call) {
        return new Origin(span, layer, call, Phase.FORWARD);
    }

    /** The same place, in the backward pass. */
    public Origin backwardOf() {
        return new Origin(span, layer, call, Phase.BACKWARD);
    }

    public boolean isBackward() {
        return phase == Phase.BACKWARD;
    }
}
