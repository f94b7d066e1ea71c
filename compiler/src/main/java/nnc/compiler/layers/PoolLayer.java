package nnc.compiler.layers;

import java.util.List;
import nnc.compiler.ir.Ops;
import nnc.compiler.ir.ShapeException;
import nnc.compiler.ir.TensorType;
import nnc.runtime.kernels.PoolGeom;

/**
 * {@code maxpool(kernel, stride: kernel, pad: valid)}, {@code avgpool(...)} and
 * {@code global_avgpool} (the mean of each channel: {@code [C, H, W] -> [C]}).
 */
final class PoolLayer implements Layer {
    private final String name;

    PoolLayer(String name) {
        this.name = name;
    }

    private boolean global() {
        return name.equals("global_avgpool");
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public List<ArgSpec> signature() {
        if (global()) {
            return List.of();
        }
        return List.of(
                ArgSpec.required("kernel", ArgType.SIZE2),
                ArgSpec.named("stride", ArgType.SIZE2, ArgSpec.OPTIONAL),
                ArgSpec.named("pad", ArgType.PADDING, Args.Padding.VALID));
    }

    @Override
    public String doc() {
        return global() ? "mean over each channel: [C, H, W] -> [C]"
                : (name.startsWith("max") ? "maximum" : "mean") + " over k x k windows (stride defaults to the kernel)";
    }

    @Override
    public int expand(Expansion x, List<Integer> inputs, Args args) throws ShapeException {
        int in = inputs.get(0);
        TensorType t = x.type(in);
        Geometry.requireImage(name, t);
        if (global()) {
            PoolGeom g = new PoolGeom(t.dim(0), t.dim(1), t.dim(2), t.dim(1), t.dim(2), 1, 1, 0, 0, 1, 1);
            int pooled = x.op(Ops.AVGPOOL, g, in);
            return x.op(Ops.RESHAPE, TensorType.fixed(t.dim(0)), pooled);
        }
        int[] k = (int[]) args.get("kernel");
        int[] s = args.has("stride") ? (int[]) args.get("stride") : k;
        Args.Padding pad = (Args.Padding) args.get("pad");
        Geometry.Axis rows = Geometry.axis(name, "height", t.dim(1), k[0], s[0], pad, args);
        Geometry.Axis cols = Geometry.axis(name, "width", t.dim(2), k[1], s[1], pad, args);
        PoolGeom g = new PoolGeom(t.dim(0), t.dim(1), t.dim(2), k[0], k[1], s[0], s[1], rows.padBefore(),
                cols.padBefore(), rows.out(), cols.out());
        return x.op(name.startsWith("max") ? Ops.MAXPOOL : Ops.AVGPOOL, g, in);
    }
}
