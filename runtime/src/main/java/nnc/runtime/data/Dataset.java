package nnc.runtime.data;

import java.util.Arrays;

/**
 * Samples and their targets, in memory. Image bytes stay bytes (a quarter of the memory of
 * floats) and are converted per batch: {@code x = raw * scale + shift}, which folds the
 * usual "divide by 255, subtract the mean, divide by the standard deviation" into one
 * multiply-add. Slices and normalised views share the arrays.
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
    private final float scale;
    private final float shift;
    private final Augment augment;

    private Dataset(String name, int[] sampleShape, byte[] bytes, float[] floats, float[] targets,
                    int targetSize, int classes, int first, int count, float scale, float shift, Augment augment) {
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
                1f / 255f, 0f, null);
    }

    /** Samples as floats; targets of {@code targetSize} floats each (classes = 0 unless class indices). */
    public static Dataset ofFloats(String name, int[] sampleShape, float[] values, float[] targets,
                                   int targetSize, int classes) {
        int size = Arrays.stream(sampleShape).reduce(1, (a, b) -> a * b);
        return new Dataset(name, sampleShape, null, values, targets, targetSize, classes, 0,
                values.length / size, 1f, 0f, null);
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

    /** {@code (x - mean) / std} on top of the current scaling (bytes are already in [0, 1]). */
    public Dataset normalized(float mean, float std) {
        return new Dataset(name, sampleShape, bytes, floats, targets, targetSize, classes, first, count,
                scale / std, (shift - mean) / std, augment);
    }

    /**
     * The samples as stored, without scaling or normalisation: pixels 0-255, CSV values as in
     * the file. A model's predictions take these (it applies its own preprocessing).
     */
    public Dataset unscaled() {
        return new Dataset(name, sampleShape, bytes, floats, targets, targetSize, classes, first, count,
                1f, 0f, null);
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
                          boolean augment, java.util.SplittableRandom rng) {
        for (int i = 0; i < n; i++) {
            int s = first + (order == null ? from + i : order[from + i]);
            int src = s * sampleSize;
            int dst = xOff + i * sampleSize;
            if (bytes != null) {
                for (int j = 0; j < sampleSize; j++) {
                    x[dst + j] = (bytes[src + j] & 0xFF) * scale + shift;
                }
            } else if (scale == 1f && shift == 0f) {
                System.arraycopy(floats, src, x, dst, sampleSize);
            } else {
                for (int j = 0; j < sampleSize; j++) {
                    x[dst + j] = floats[src + j] * scale + shift;
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
