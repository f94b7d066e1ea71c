package nnc.runtime.data;

import java.util.random.RandomGenerator;

/**
 * Training-time augmentation of [C, H, W] (or one-channel [H, W]) images: a random crop of the
 * image padded with zeros by {@code pad} pixels on each side (same output size), and a horizontal flip with
 * probability one half. Applied in place on the float sample.
 */
public record Augment(int cropPad, boolean hflip) {
    public void apply(float[] x, int off, int[] shape, RandomGenerator rng) {
        if (shape.length < 2 || shape.length > 3) {
            return;
        }
        // [H, W] (an MNIST image) is one channel.
        int c = shape.length == 3 ? shape[0] : 1;
        int h = shape[shape.length - 2];
        int w = shape[shape.length - 1];
        if (cropPad > 0) {
            int dy = rng.nextInt(2 * cropPad + 1) - cropPad;
            int dx = rng.nextInt(2 * cropPad + 1) - cropPad;
            if (dy != 0 || dx != 0) {
                float[] tmp = new float[h * w];
                for (int ch = 0; ch < c; ch++) {
                    int base = off + ch * h * w;
                    for (int y = 0; y < h; y++) {
                        for (int xx = 0; xx < w; xx++) {
                            int sy = y + dy;
                            int sx = xx + dx;
                            tmp[y * w + xx] = sy >= 0 && sy < h && sx >= 0 && sx < w ? x[base + sy * w + sx] : 0f;
                        }
                    }
                    System.arraycopy(tmp, 0, x, base, h * w);
                }
            }
        }
        if (hflip && rng.nextBoolean()) {
            for (int ch = 0; ch < c; ch++) {
                for (int y = 0; y < h; y++) {
                    int row = off + ch * h * w + y * w;
                    for (int i = 0, j = w - 1; i < j; i++, j--) {
                        float t = x[row + i];
                        x[row + i] = x[row + j];
                        x[row + j] = t;
                    }
                }
            }
        }
    }
}
