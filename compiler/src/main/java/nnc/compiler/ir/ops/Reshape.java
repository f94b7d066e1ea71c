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
 * The same elements seen with another per-sample shape ({@code flatten}); {@code attrs} is
 * the new shape (a TensorType). A view: no kernel, the output shares the input's buffer.
 */
public final class Reshape implements Op {
    @Override
    public String name() {
        return "reshape";
    }

    @Override
    public Pattern pattern() {
        return Pattern.INJECTIVE;
    }

    @Override
    public boolean isView() {
        return true;
    }

    @Override
    public TensorType infer(List<TensorType> in, Object attrs) throws ShapeException {
        TensorType to = (TensorType) attrs;
        if (to.size() != in.get(0).size()) {
            throw new ShapeException("cannot reshape " + in.get(0).shapeText() + " to " + to.shapeText());
        }
        return new TensorType(to.dims(), in.get(0).batched());
    }

    @Override
    public int[] gradient(GradContext g, Node node, int dy) {
        return new int[] {g.add(Ops.RESHAPE, g.type(node.input(0)), dy)};
    }

    @Override
    public double[] evaluate(EvalContext ctx, Node node, double[][] in) {
        return in[0].clone();
    }

    @Override
    public CodeBlock emit(EmitContext ctx, Node node) {
        return CodeBlock.of("");
    }
}
