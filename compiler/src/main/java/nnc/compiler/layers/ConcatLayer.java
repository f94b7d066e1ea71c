package nnc.compiler.layers;

import java.util.List;
import nnc.compiler.ir.Ops;
import nnc.compiler.ir.ShapeException;

/** {@code concat(a, b, ...)}: values joined along their channels; written at the start of a pipeline. */
final class ConcatLayer implements Layer {
    @Override
    public String name() {
        return "concat";
    }

    @Override
    public List<ArgSpec> signature() {
        return List.of();
    }

    @Override
    public String doc() {
        return "join values along the channels: concat(a, b) -> [Ca + Cb, H, W]";
    }

    @Override
    public int inputs() {
        return -1;
    }

    @Override
    public int expand(Expansion x, List<Integer> inputs, Args args) throws ShapeException {
        return x.op(Ops.CONCAT, null, inputs.toArray(Integer[]::new));
    }
}
