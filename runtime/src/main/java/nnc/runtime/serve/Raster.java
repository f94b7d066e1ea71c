package nnc.runtime.serve;

/**
 * A decoded image: {@code channels} planes (1 grey, 3 RGB) of {@code height x width} values
 * 0-255, channels first, row by row (the layout of a model's {@code [C, H, W]} input).
 */
record Raster(int channels, int height, int width, float[] values) {
    Raster(int channels, int height, int width) {
        this(channels, height, width, new float[channels * height * width]);
    }

    float get(int c, int y, int x) {
        return values[(c * height + y) * width + x];
    }

    void set(int c, int y, int x, float v) {
        values[(c * height + y) * width + x] = v;
    }

    /** The same picture with {@code to} channels: grey from RGB by ITU-R 601 luma (as PIL's "L"), RGB from grey by copying. */
    Raster withChannels(int to) {
        if (to == channels) {
            return this;
        }
        Raster out = new Raster(to, height, width);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                if (to == 1) {
                    out.set(0, y, x, 0.299f * get(0, y, x) + 0.587f * get(1, y, x) + 0.114f * get(2, y, x));
                } else {
                    for (int c = 0; c < to; c++) {
                        out.set(c, y, x, get(0, y, x));
                    }
                }
            }
        }
        return out;
    }

    /**
     * The picture at {@code h x w}: each output pixel is the average of the input area it
     * covers (box filter, exact for whole-number shrink factors), or a bilinear sample of the
     * input where it enlarges.
     */
    Raster resized(int h, int w) {
        if (h == height && w == width) {
            return this;
        }
        Raster out = new Raster(channels, h, w);
        for (int c = 0; c < channels; c++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    out.set(c, y, x, h <= height && w <= width ? area(c, y, x, h, w) : bilinear(c, y, x, h, w));
                }
            }
        }
        return out;
    }

    private float area(int c, int oy, int ox, int h, int w) {
        double y0 = (double) oy * height / h;
        double y1 = (double) (oy + 1) * height / h;
        double x0 = (double) ox * width / w;
        double x1 = (double) (ox + 1) * width / w;
        double sum = 0;
        double weight = 0;
        for (int y = (int) y0; y < Math.min(height, Math.ceil(y1)); y++) {
            double wy = Math.min(y + 1, y1) - Math.max(y, y0);
            for (int x = (int) x0; x < Math.min(width, Math.ceil(x1)); x++) {
                double wx = Math.min(x + 1, x1) - Math.max(x, x0);
                sum += wy * wx * get(c, y, x);
                weight += wy * wx;
            }
        }
        return (float) (sum / weight);
    }

    private float bilinear(int c, int oy, int ox, int h, int w) {
        double sy = Math.max(0, Math.min(height - 1, (oy + 0.5) * height / h - 0.5));
        double sx = Math.max(0, Math.min(width - 1, (ox + 0.5) * width / w - 0.5));
        int y0 = (int) sy;
        int x0 = (int) sx;
        int y1 = Math.min(height - 1, y0 + 1);
        int x1 = Math.min(width - 1, x0 + 1);
        double fy = sy - y0;
        double fx = sx - x0;
        double top = get(c, y0, x0) * (1 - fx) + get(c, y0, x1) * fx;
        double bottom = get(c, y1, x0) * (1 - fx) + get(c, y1, x1) * fx;
        return (float) (top * (1 - fy) + bottom * fy);
    }
}
