package nnc.runtime.data;

import java.util.random.RandomGenerator;

/**
 * Training-time augmentation of images: a random crop of the image padded with zeros by
 * {@code pad} pixels on each side (same output size), and a horizontal flip with probability
 * one half. Applied in place on the float sample. A sample is [C, H, W], or [H, W] as IDX
 * files give MNIST's images: one channel.
 */
public record Augment(int cropPad, boolean hflip) {
    public void apply(float[] x, int off, int[] shape, RandomGenerator rng) {
        if (shape.length < 2) {
            return; // no rows and columns to shift or mirror
        }
        int h = shape[shape.length - 2];
        int w = shape[shape.length - 1];
        int c = 1;
        for (int i = 0; i < shape.length - 2; i++) {
            c *= shape[i];
        }
        if (cropPad > 0) {
            int dy = rng.nextInt(2 * cropPad + 1) - cropPad;
            int dx = rng.nextInt(2 * cropPad + 1) - cropPad;
            if (dy != 0 || dx != 0) {
                // In place, without a scratch image: walking away from the side pixels come from,
                // every pixel is read before it is overwritten.
                int y0 = dy >= 0 ? 0 : h - 1;
                int yStep = dy >= 0 ? 1 : -1;
                int x0 = dx >= 0 ? 0 : w - 1;
                int xStep = dx >= 0 ? 1 : -1;
                for (int ch = 0; ch < c; ch++) {
                    int base = off + ch * h * w;
                    for (int i = 0, y = y0; i < h; i++, y += yStep) {
                        int sy = y + dy;
                        for (int j = 0, xx = x0; j < w; j++, xx += xStep) {
                            int sx = xx + dx;
                            x[base + y * w + xx] = sy >= 0 && sy < h && sx >= 0 && sx < w ? x[base + sy * w + sx] : 0f;
                        }
                    }
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
