package nnc.runtime.data;

import java.util.Arrays;

/**
 * Samples and their targets, in memory. Image bytes stay bytes (a quarter of the memory of
 * floats) and are converted per batch: {@code x = raw * scale[c] + shift[c]} for channel
 * {@code c}, which folds the usual "divide by 255, subtract the channel's mean, divide by its
 * standard deviation" into one multiply-add. A sample {@code [C, H, W]} has C channels; any
 * other shape has one. Slices and normalised views share the arrays.
 */
public final class Dataset {
    private final String name;
    private final int[] sampleShape;
    private final int sampleSize;
    private final byte[] bytes;
    private final float[] floats;
    private final float[] targets;
    private final int targetSize;
    private final int classes;
    private final int first;
    private final int count;
    /** Per channel. */
    private final float[] scale;
    private final float[] shift;
    private final Augment augment;

    private Dataset(String name, int[] sampleShape, byte[] bytes, float[] floats, float[] targets,
                    int targetSize, int classes, int first, int count, float[] scale, float[] shift,
                    Augment augment) {
        this.name = name;
        this.sampleShape = sampleShape.clone();
        this.sampleSize = Arrays.stream(sampleShape).reduce(1, (a, b) -> a * b);
        this.bytes = bytes;
        this.floats = floats;
        this.targets = targets;
        this.targetSize = targetSize;
        this.classes = classes;
        this.first = first;
        this.count = count;
        this.scale = scale;
        this.shift = shift;
        this.augment = augment;
    }

    /** Images stored as unsigned bytes, scaled to [0, 1]; targets are class indices. */
    public static Dataset ofBytes(String name, int[] sampleShape, byte[] pixels, float[] labels, int classes) {
        int size = Arrays.stream(sampleShape).reduce(1, (a, b) -> a * b);
        return new Dataset(name, sampleShape, pixels, null, labels, 1, classes, 0, pixels.length / size,
                fill(sampleShape, 1f / 255f), fill(sampleShape, 0f), null);
    }

    /** Samples as floats; targets of {@code targetSize} floats each (classes = 0 unless class indices). */
    public static Dataset ofFloats(String name, int[] sampleShape, float[] values, float[] targets,
                                   int targetSize, int classes) {
        int size = Arrays.stream(sampleShape).reduce(1, (a, b) -> a * b);
        return new Dataset(name, sampleShape, null, values, targets, targetSize, classes, 0,
                values.length / size, fill(sampleShape, 1f), fill(sampleShape, 0f), null);
    }

    /** Channels of a sample shape: C of [C, H, W], else 1. */
    public static int channels(int[] sampleShape) {
        return sampleShape.length == 3 ? sampleShape[0] : 1;
    }

    private static float[] fill(int[] sampleShape, float v) {
        float[] a = new float[channels(sampleShape)];
        Arrays.fill(a, v);
        return a;
    }

    public String name() {
        return name;
    }

    public int size() {
        return count;
    }

    public int[] sampleShape() {
        return sampleShape.clone();
    }

    public int sampleSize() {
        return sampleSize;
    }

    public int targetSize() {
        return targetSize;
    }

    /** Number of classes when targets are class indices, else 0. */
    public int classes() {
        return classes;
    }

    /**
     * {@code (x - mean[c]) / std[c]} on top of the current scaling (bytes are already in
     * [0, 1]); one value of {@code mean} or {@code std} applies to every channel.
     */
    public Dataset normalized(float[] mean, float[] std) {
        int channels = scale.length;
        if ((mean.length != 1 && mean.length != channels) || (std.length != 1 && std.length != channels)) {
            throw new IllegalArgumentException("normalize needs 1 or " + channels + " values per statistic, got "
                    + mean.length + " means and " + std.length + " deviations");
        }
        float[] sc = new float[channels];
        float[] sh = new float[channels];
        for (int c = 0; c < channels; c++) {
            float m = mean[mean.length == 1 ? 0 : c];
            float sd = std[std.length == 1 ? 0 : c];
            sc[c] = scale[c] / sd;
            sh[c] = (shift[c] - m) / sd;
        }
        return new Dataset(name, sampleShape, bytes, floats, targets, targetSize, classes, first, count,
                sc, sh, augment);
    }

    /**
     * The samples as stored, without scaling or normalisation: pixels 0-255, CSV values as in
     * the file. A model's predictions take these (it applies its own preprocessing).
     */
    public Dataset unscaled() {
        return new Dataset(name, sampleShape, bytes, floats, targets, targetSize, classes, first, count,
                fill(sampleShape, 1f), fill(sampleShape, 0f), null);
    }

    /** Random crops and flips applied by {@link #copyBatch} when {@code augment} is true. */
    public Dataset augmented(Augment augment) {
        return new Dataset(name, sampleShape, bytes, floats, targets, targetSize, classes, first, count,
                scale, shift, augment);
    }

    public boolean hasAugment() {
        return augment != null;
    }

    /** Samples {@code [from, to)} of this dataset. */
    public Dataset slice(int from, int to) {
        if (from < 0 || to > count || from > to) {
            throw new IndexOutOfBoundsException("slice [" + from + ", " + to + ") of " + count + " samples");
        }
        return new Dataset(name, sampleShape, bytes, floats, targets, targetSize, classes, first + from,
                to - from, scale, shift, augment);
    }

    /**
     * Copies samples {@code order[from .. from+n)} (indices into this dataset; null means
     * {@code from .. from+n}) as floats to {@code x[xOff..]} and their targets to {@code t[tOff..]}.
     * With {@code augment} and an {@link Augment} set, each sample is randomly cropped/flipped
     * using {@code rng}.
     */
    public void copyBatch(int[] order, int from, int n, float[] x, int xOff, float[] t, int tOff,
                          boolean augment, java.util.random.RandomGenerator rng) {
        for (int i = 0; i < n; i++) {
            int s = first + (order == null ? from + i : order[from + i]);
            int src = s * sampleSize;
            int dst = xOff + i * sampleSize;
            int plane = sampleSize / scale.length;
            for (int c = 0, j = 0; c < scale.length; c++) {
                float a = scale[c];
                float b = shift[c];
                if (bytes != null) {
                    for (int end = j + plane; j < end; j++) {
                        x[dst + j] = (bytes[src + j] & 0xFF) * a + b;
                    }
                } else if (a == 1f && b == 0f) {
                    System.arraycopy(floats, src + j, x, dst + j, plane);
                    j += plane;
                } else {
                    for (int end = j + plane; j < end; j++) {
                        x[dst + j] = floats[src + j] * a + b;
                    }
                }
            }
            if (augment && this.augment != null) {
                this.augment.apply(x, dst, sampleShape, rng);
            }
            System.arraycopy(targets, s * targetSize, t, tOff + i * targetSize, targetSize);
        }
    }

    /** The target floats of sample {@code i}. */
    public float target(int i, int j) {
        return targets[(first + i) * targetSize + j];
    }
}
