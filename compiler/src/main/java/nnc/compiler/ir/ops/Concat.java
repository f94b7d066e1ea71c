package nnc.compiler.ir.ops;

import com.palantir.javapoet.CodeBlock;
import java.util.List;
import nnc.compiler.ir.EmitContext;
import nnc.compiler.ir.EvalContext;
import nnc.compiler.ir.GradContext;
import nnc.compiler.ir.Node;
import nnc.compiler.ir.Op;
import nnc.compiler.ir.Ops;
import nnc.compiler.ir.Pattern;
import nnc.compiler.ir.ShapeException;
import nnc.compiler.ir.TensorType;

/**
 * Joins values along the channels (the first dimension after the batch):
 * {@code [C1, H, W] ++ [C2, H, W] -> [C1 + C2, H, W]}. The gradient of input {@code i} is
 * the matching slice of {@code dy} ({@link Slice}).
 */
public final class Concat implements Op {
    @Override
    public String name() {
        return "concat";
    }

    @Override
    public Pattern pattern() {
        return Pattern.INJECTIVE;
    }

    @Override
    public TensorType infer(List<TensorType> in, Object attrs) throws ShapeException {
        TensorType first = in.get(0);
        long channels = 0;
        for (TensorType t : in) {
            boolean fits = t.rank() == first.rank();
            for (int d = 1; fits && d < t.rank(); d++) {
                fits = t.dim(d) == first.dim(d);
            }
            if (!fits) {
                throw new ShapeException("concat needs the same sizes after the channels: " + first.shapeText()
                        + " and " + t.shapeText(), "pool or pad one of them to the other's size");
            }
            channels += t.dim(0);
        }
        int[] dims = first.dims();
        if (channels > Integer.MAX_VALUE) {
            throw new ShapeException("concat: " + channels + " channels are more than a tensor can hold");
        }
        dims[0] = (int) channels;
        return TensorType.batched(dims);
    }

    @Override
    public int[] gradient(GradContext g, Node node, int dy) {
        int[] grads = new int[node.inputs().size()];
        int start = 0;
        for (int i = 0; i < grads.length; i++) {
            int channels = g.type(node.input(i)).dim(0);
            grads[i] = g.needs(i) ? g.add(Ops.SLICE, new Slice.Attrs(start, channels), dy) : -1;
            start += channels;
        }
        return grads;
    }

    @Override
    public double[] evaluate(EvalContext ctx, Node node, double[][] in) {
        int outSize = node.type().size();
        double[] y = new double[ctx.rows() * outSize];
        int at = 0;
        for (double[] part : in) {
            int size = part.length / ctx.rows();
            for (int b = 0; b < ctx.rows(); b++) {
                System.arraycopy(part, b * size, y, b * outSize + at, size);
            }
            at += size;
        }
        return y;
    }

    @Override
    public CodeBlock emit(EmitContext ctx, Node node) {
        CodeBlock.Builder b = CodeBlock.builder();
        int outSize = node.type().size();
        int at = 0;
        for (int i = 0; i < node.inputs().size(); i++) {
            int size = ctx.graph().type(node.input(i)).size();
            if (i > 0) {
                b.add(";\n");
            }
            b.add("$L.copyBlocks($L, $L, $L, $L, $L, $L + $L, $L, $L)", ctx.kernels(), ctx.exec(), ctx.rows(),
                    ctx.ref(node.input(i)), size, ctx.array(node.id()), ctx.offset(node.id()), at, outSize, size);
            at += size;
        }
        return b.build();
    }
}
