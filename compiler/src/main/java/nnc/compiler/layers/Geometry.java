package nnc.compiler.layers;

import nnc.compiler.ir.ShapeException;
import nnc.compiler.ir.TensorType;

/** Output sizes and padding of windowed layers (convolution, pooling), with the errors a user can make. */
final class Geometry {
    private Geometry() {
    }

    /** Padding before the first window and the output size along one axis. */
    record Axis(int padBefore, int out) {
    }

    /**
     * One axis: {@code valid} (no padding), {@code same} (output = ceil(in / stride), padding
     * split evenly, any odd pixel at the end, as TensorFlow), or N pixels on both sides.
     */
    static Axis axis(String layer, String axisName, int in, int kernel, int stride, Args.Padding pad, Args args)
            throws ShapeException {
        // long: a kernel, stride or padding near 2^31 must not wrap around.
        long before;
        long out;
        switch (pad.mode()) {
            case "same" -> {
                out = ((long) in + stride - 1) / stride;
                long total = Math.max((out - 1) * stride + kernel - in, 0);
                before = total / 2;
            }
            case "valid" -> {
                before = 0;
                out = in >= kernel ? (in - kernel) / stride + 1 : 0;
            }
            default -> {
                before = pad.pixels();
                long padded = in + 2L * pad.pixels();
                out = padded >= kernel ? (padded - kernel) / stride + 1 : 0;
                if (pad.pixels() >= kernel) {
                    throw new ShapeException(layer + ": padding " + pad.pixels() + " must be smaller than the kernel ("
                            + kernel + ")", null, args.span("pad"));
                }
            }
        }
        if (out > Integer.MAX_VALUE) {
            throw new ShapeException(layer + ": the output's " + axisName + " would be " + out
                    + " pixels, more than a tensor can hold", null, args.span("pad"));
        }
        if (out < 1) {
            throw new ShapeException(layer + ": the " + kernel + "-pixel kernel is larger than the input's " + axisName
                    + " (" + in + (pad.mode().equals("valid") ? "" : " with padding") + ")",
                    "use a smaller kernel, or pad: same");
        }
        return new Axis((int) before, (int) out);
    }

    /** The input must be an image [C, H, W]. */
    static void requireImage(String layer, TensorType x) throws ShapeException {
        if (x.rank() != 3) {
            String hint = null;
            if (x.rank() == 1) {
                int side = (int) Math.round(Math.sqrt(x.dim(0)));
                hint = side * side == x.dim(0) ? "declare the input as [1, " + side + ", " + side + "]"
                        : "give the input a [channels, height, width] shape";
            }
            throw new ShapeException(layer + " expects an image [channels, height, width], got " + x.shapeText(), hint);
        }
    }
}
