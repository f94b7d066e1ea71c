package nnc.runtime.model;

import java.util.SplittableRandom;

/**
 * Parameter initialisers. Each tensor draws from its own stream, derived from the model seed
 * and the tensor's name, so adding a layer does not change the others' initial values.
 */
public final class Init {
    private Init() {
    }

    /** The random stream of one tensor. */
    public static SplittableRandom stream(long seed, String tensor) {
        long h = seed ^ 0x9E3779B97F4A7C15L;
        for (int i = 0; i < tensor.length(); i++) {
            h = (h ^ tensor.charAt(i)) * 0x100000001B3L;
        }
        return new SplittableRandom(h);
    }

    /** He (Kaiming) normal: std = sqrt(2 / fanIn); for layers followed by ReLU. */
    public static void he(float[] p, int off, int count, int fanIn, SplittableRandom rng) {
        normal(p, off, count, Math.sqrt(2.0 / fanIn), rng);
    }

    /** Glorot (Xavier) uniform: limit = sqrt(6 / (fanIn + fanOut)). */
    public static void glorot(float[] p, int off, int count, int fanIn, int fanOut, SplittableRandom rng) {
        double limit = Math.sqrt(6.0 / (fanIn + fanOut));
        for (int i = off; i < off + count; i++) {
            p[i] = (float) ((rng.nextDouble() * 2 - 1) * limit);
        }
    }

    public static void normal(float[] p, int off, int count, double std, SplittableRandom rng) {
        for (int i = off; i < off + count; i++) {
            p[i] = (float) (rng.nextGaussian() * std);
        }
    }

    public static void uniform(float[] p, int off, int count, double limit, SplittableRandom rng) {
        for (int i = off; i < off + count; i++) {
            p[i] = (float) ((rng.nextDouble() * 2 - 1) * limit);
        }
    }

    public static void constant(float[] p, int off, int count, float value) {
        java.util.Arrays.fill(p, off, off + count, value);
    }

    public static void values(float[] p, int off, float... values) {
        System.arraycopy(values, 0, p, off, values.length);
    }

    /**
     * Fixed values too many to write as a float array in a class file (its constant pool holds
     * 65,535 entries, a method 64 KiB of code): the big-endian IEEE bits of each float, in
     * Base64, in chunks of at most 64,000 characters (one string constant each).
     */
    public static void encoded(float[] p, int off, String... base64) {
        int at = off;
        for (String chunk : base64) {
            java.nio.FloatBuffer f = java.nio.ByteBuffer.wrap(java.util.Base64.getDecoder().decode(chunk)).asFloatBuffer();
            f.get(p, at, f.remaining());
            at += f.position();
        }
    }
}
