package nnc.runtime.model;

import java.util.List;
import java.util.Objects;

/**
 * What a model does around its network when it serves predictions, compiled from its
 * {@code data} declaration and its loss: the preprocessing that turns a raw input (pixels
 * 0-255, CSV values as they are in the file) into the network's input, and what the network's
 * output means. Training feeds the network preprocessed data directly; every prediction
 * entry point ({@link CompiledModel#predict}, {@code nnc predict}, model jars) takes raw
 * inputs and goes through here, so the preprocessing happens exactly once, as in training,
 * and so does the output activation.
 *
 * @param scale       network input = raw * scale + shift: the source's pixel scaling and
 *                    {@code normalize} folded into one multiply-add, computed in float exactly
 *                    as the training data loader computes it, so both give the same bits
 * @param shift       see {@code scale}
 * @param image       the image form of an input, or null when inputs are not images
 * @param output      what the network outputs, and so what a prediction applies to it
 * @param classes     class names (empty: classes are numbered from 0)
 * @param description the preprocessing in words, for messages and documentation
 */
public record Serving(float[] scale, float[] shift, Image image, Output output, List<String> classes,
                      String description) {
    public Serving {
        scale = scale.clone();
        shift = shift.clone();
        if (scale.length == 0 || scale.length != shift.length) {
            throw new IllegalArgumentException("scale and shift need one value per channel, got " + scale.length
                    + " and " + shift.length);
        }
        Objects.requireNonNull(output, "output");
        classes = List.copyOf(classes);
        Objects.requireNonNull(description, "description");
    }

    /** Raw input goes to the network unchanged; outputs are plain values. */
    public static Serving none() {
        return new Serving(new float[] {1f}, new float[] {0f}, null, Output.VALUES, List.of(),
                "none: values go to the network unchanged");
    }

    /** What the network's output is. */
    public enum Output {
        /** Scores of one class each (trained with cross_entropy): a prediction applies a softmax. */
        LOGITS,
        /** Class probabilities: the network ends in a softmax, applied once there. */
        PROBABILITIES,
        /** An independent probability per output: the network ends in a sigmoid. */
        BINARY,
        /** Real values (regression, or a model without training). */
        VALUES;

        public boolean isClassifier() {
            return this != VALUES;
        }
    }

    /** Inputs as images: {@code channels} (1 grey, 3 RGB) planes of {@code height x width} pixels. */
    public record Image(int channels, int height, int width) {
        public Image {
            if ((channels != 1 && channels != 3) || height < 1 || width < 1) {
                throw new IllegalArgumentException("an image is 1 or 3 channels of at least 1x1 pixels, got "
                        + channels + "x" + height + "x" + width);
            }
        }

        public int size() {
            return channels * height * width;
        }

        @Override
        public String toString() {
            return (channels == 1 ? "grey" : "RGB") + " " + width + "x" + height;
        }
    }

    public boolean preprocesses() {
        for (int c = 0; c < scale.length; c++) {
            if (scale[c] != 1f || shift[c] != 0f) {
                return true;
            }
        }
        return false;
    }

    @Override
    public float[] scale() {
        return scale.clone();
    }

    @Override
    public float[] shift() {
        return shift.clone();
    }

    /**
     * {@code dst = src * scale[c] + shift[c]} for {@code rows} samples of {@code size} values,
     * channel c being the c-th of {@code scale.length} equal planes of a sample (may be in place).
     */
    public void prepare(float[] src, int srcOff, float[] dst, int dstOff, int rows, int size) {
        if (!preprocesses()) {
            System.arraycopy(src, srcOff, dst, dstOff, rows * size);
            return;
        }
        int plane = size / scale.length;
        for (int r = 0; r < rows; r++) {
            int s = srcOff + r * size;
            int d = dstOff + r * size;
            for (int c = 0; c < scale.length; c++) {
                float a = scale[c];
                float b = shift[c];
                for (int i = c * plane, end = i + plane; i < end; i++) {
                    dst[d + i] = src[s + i] * a + b;
                }
            }
        }
    }

    /**
     * Whether {@code a[off, off + n)} holds no NaN and no infinity. Branch-free, so that the
     * JIT can vectorize it: an exponent of all ones carries into bit 31 when one is added to it.
     */
    static boolean allFinite(float[] a, int off, int n) {
        int carry = 0;
        for (int i = off, end = off + n; i < end; i++) {
            carry |= (Float.floatToRawIntBits(a[i]) & 0x7f800000) + 0x00800000;
        }
        return carry >= 0;
    }

    /**
     * Applies the output activation in place to {@code rows} outputs of {@code width} values:
     * a softmax per row for {@link Output#LOGITS}, nothing otherwise.
     */
    public void activate(float[] y, int off, int rows, int width) {
        if (output != Output.LOGITS) {
            return;
        }
        for (int r = 0; r < rows; r++) {
            softmax(y, off + r * width, width);
        }
    }

    /** A numerically stable softmax of {@code y[off, off + n)}, in place, summed in double. */
    static void softmax(float[] y, int off, int n) {
        float max = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            max = Math.max(max, y[off + i]);
        }
        double sum = 0;
        for (int i = 0; i < n; i++) {
            double e = Math.exp((double) y[off + i] - max);
            y[off + i] = (float) e;
            sum += e;
        }
        for (int i = 0; i < n; i++) {
            y[off + i] = (float) (y[off + i] / sum);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Serving s && java.util.Arrays.equals(s.scale, scale) && java.util.Arrays.equals(s.shift, shift)
                && Objects.equals(s.image, image) && s.output == output && s.classes.equals(classes)
                && s.description.equals(description);
    }

    @Override
    public int hashCode() {
        return java.util.Arrays.hashCode(scale) * 31 + output.hashCode();
    }

    /** The name of class {@code i}: its label when the data names its classes, else the number. */
    public String label(int i) {
        return i < classes.size() ? classes.get(i) : Integer.toString(i);
    }
}
