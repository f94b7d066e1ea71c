package nnc.compiler.ir.ops;

import com.palantir.javapoet.CodeBlock;
import java.util.List;
import nnc.compiler.ir.EmitContext;
import nnc.compiler.ir.EvalContext;
import nnc.compiler.ir.Node;
import nnc.compiler.ir.Op;
import nnc.compiler.ir.Pattern;
import nnc.compiler.ir.TensorType;

/** Channels {@code [start, start + count)} of a value: the gradient of one {@link Concat} input. */
public final class Slice implements Op {
    /** The channel range. */
    public record Attrs(int start, int count) {
    }

    @Override
    public String name() {
        return "slice";
    }

    @Override
    public Pattern pattern() {
        return Pattern.INJECTIVE;
    }

    @Override
    public TensorType infer(List<TensorType> in, Object attrs) {
        Attrs a = (Attrs) attrs;
        int[] dims = in.get(0).dims();
        dims[0] = a.count();
        return TensorType.batched(dims);
    }

    @Override
    public double[] evaluate(EvalContext ctx, Node node, double[][] in) {
        Attrs a = node.attrs(Attrs.class);
        int size = node.type().size();
        int inner = size / a.count();
        int inSize = in[0].length / ctx.rows();
        double[] y = new double[ctx.rows() * size];
        for (int b = 0; b < ctx.rows(); b++) {
            System.arraycopy(in[0], b * inSize + a.start() * inner, y, b * size, size);
        }
        return y;
    }

    @Override
    public CodeBlock emit(EmitContext ctx, Node node) {
        Attrs a = node.attrs(Attrs.class);
        int size = node.type().size();
        int inner = size / a.count();
        int inSize = ctx.graph().type(node.input(0)).size();
        return CodeBlock.of("$L.copyBlocks($L, $L, $L, $L + $L, $L, $L, $L, $L)", ctx.kernels(), ctx.exec(), ctx.rows(),
                ctx.array(node.input(0)), ctx.offset(node.input(0)), a.start() * inner, inSize, ctx.ref(node.id()),
                size, size);
    }
}
