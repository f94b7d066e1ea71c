package nnc.runtime.kernels;

/**
 * The dropout mask as a pure function of (key, element index): a counter-based hash
 * (Wellons' lowbias32) instead of a stored mask, so backward regenerates exactly the mask
 * forward used and no buffer holds it. The key changes every training step.
 */
public final class DropoutMask {
    private DropoutMask() {
    }

    public static final int GOLDEN = 0x9E3779B9;

    public static int hash(int key, int index) {
        int x = key + index * GOLDEN;
        x ^= x >>> 16;
        x *= 0x7feb352d;
        x ^= x >>> 15;
        x *= 0x846ca68b;
        x ^= x >>> 16;
        return x;
    }

    /** Elements are kept when the top 24 bits of the hash are >= this threshold. */
    public static int threshold(float p) {
        return (int) Math.round(p * (double) (1 << 24));
    }

    public static boolean keep(int key, int index, int threshold) {
        return (hash(key, index) >>> 8) >= threshold;
    }

    /** The key of one dropout layer in one step: the step key mixed with the layer's salt. */
    public static int salted(int stepKey, int salt) {
        return hash(stepKey ^ 0x632BE59B, salt);
    }

    /** The per-step key mixed from the seed and the step number. */
    public static int key(long seed, long step) {
        long z = seed * 0x9E3779B97F4A7C15L + step * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 31)) * 0x94D049BB133111EBL;
        return (int) (z ^ (z >>> 32));
    }
}
