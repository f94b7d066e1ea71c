package nnc.compiler.layers;

import java.util.List;
import nnc.compiler.ir.InitSpec;
import nnc.compiler.ir.Ops;
import nnc.compiler.ir.ShapeException;
import nnc.compiler.ir.TensorType;
import nnc.runtime.kernels.ConvGeom;

/**
 * {@code conv2d(channels, kernel, stride: 1, pad: valid)}: a 2-D convolution with weight
 * {@code [channels, in_channels, kh, kw]} and a bias per output channel. Expands to
 * {@code conv2d} then {@code bias_add}.
 */
final class ConvLayer implements Layer {
    @Override
    public String name() {
        return "conv2d";
    }

    @Override
    public List<ArgSpec> signature() {
        return List.of(
                ArgSpec.required("channels", ArgType.POSITIVE_INT),
                ArgSpec.required("kernel", ArgType.SIZE2),
                ArgSpec.named("stride", ArgType.SIZE2, new int[] {1, 1}),
                ArgSpec.named("pad", ArgType.PADDING, Args.Padding.VALID),
                ArgSpec.named("bias", ArgType.ANY, Boolean.TRUE),
                ArgSpec.named("init", ArgType.INIT, ArgSpec.OPTIONAL),
                ArgSpec.named("weight", ArgType.NUMBERS, ArgSpec.OPTIONAL));
    }

    @Override
    public String doc() {
        return "2-D convolution over [C, H, W]: kernel k or [kh, kw], stride, pad: valid | same | N";
    }

    @Override
    public int expand(Expansion x, List<Integer> inputs, Args args) throws ShapeException {
        int in = inputs.get(0);
        TensorType t = x.type(in);
        Geometry.requireImage("conv2d", t);
        int[] k = (int[]) args.get("kernel");
        int[] s = (int[]) args.get("stride");
        Args.Padding pad = (Args.Padding) args.get("pad");
        Geometry.Axis rows = Geometry.axis("conv2d", "height", t.dim(1), k[0], s[0], pad, args);
        Geometry.Axis cols = Geometry.axis("conv2d", "width", t.dim(2), k[1], s[1], pad, args);
        int out = args.integer("channels");
        TensorType wType = TensorType.fixed(out, t.dim(0), k[0], k[1]);
        TensorType.batched(out, rows.out(), cols.out()); // the output must fit before its geometry is built
        ConvGeom g = new ConvGeom(t.dim(0), t.dim(1), t.dim(2), out, k[0], k[1], s[0], s[1], rows.padBefore(),
                cols.padBefore(), rows.out(), cols.out());
        int fanIn = t.dim(0) * k[0] * k[1];
        int w = x.param("weight", wType, Inits.weight(x, args, wType, fanIn, out * k[0] * k[1]), true);
        InitSpec biasInit = LinearLayer.bias(args, out);
        int b = biasInit == null ? -1 : x.param("bias", TensorType.fixed(out), biasInit, true);
        int y = x.op(Ops.CONV2D, g, in, w);
        return b < 0 ? y : x.op(Ops.BIAS_ADD, null, y, b);
    }
}
