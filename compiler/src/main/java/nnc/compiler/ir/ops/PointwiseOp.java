package nnc.compiler.ir.ops;

import com.palantir.javapoet.CodeBlock;
import nnc.compiler.ir.EmitContext;
import nnc.compiler.ir.Node;
import nnc.compiler.ir.Op;
import nnc.compiler.ir.Pattern;

/**
 * Base of the pointwise ops. They never emit a kernel of their own: the emitter runs every
 * pointwise op as an epilogue step, either after an anchor (GEMM, convolution) or in a
 * pointwise pass over its input ({@code K.pointwise}).
 */
abstract class PointwiseOp implements Op {
    @Override
    public Pattern pattern() {
        return Pattern.ELEMWISE;
    }

    @Override
    public final CodeBlock emit(EmitContext ctx, Node node) {
        throw new IllegalStateException("internal error: pointwise op " + name() + " is emitted as an epilogue step");
    }
}
