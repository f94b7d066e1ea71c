package nnc.compiler.ir;

import nnc.compiler.diag.Span;

/**
 * Where an IR node comes from: the span of the layer call in the .nn file, the layer's
 * name ({@code linear_1}, {@code Residual_1/conv2d_2} inside a block), and whether it is part
 * of the backward pass. Generated code cites it on every kernel call.
 */
public record Origin(Span span, String layer, String call, boolean backward) {
    public Origin backwardOf() {
        return new Origin(span, layer, call, true);
    }
}
