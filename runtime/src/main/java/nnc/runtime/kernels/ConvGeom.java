package nnc.runtime.kernels;

/**
 * The geometry of a 2-D convolution on NCHW tensors, per sample:
 *
 * <pre>
 *   x [C, H, W]   w [O, C, KH, KW]   y [O, OH, OW]
 *   y[o, i, j] = sum over c, u, v of x[c, i*SH - PT + u, j*SW - PL + v] * w[o, c, u, v]
 * </pre>
 * (out-of-range input positions read as zero). Padding at the bottom and right is whatever
 * makes the output {@code OH x OW}: {@code same} padding with a stride may pad one more
 * pixel there, as TensorFlow does.
 */
public record ConvGeom(int c, int h, int w, int o, int kh, int kw, int sh, int sw, int pt, int pl, int oh, int ow) {
    public ConvGeom {
        if (c < 1 || h < 1 || w < 1 || o < 1 || kh < 1 || kw < 1 || sh < 1 || sw < 1 || pt < 0 || pl < 0
                || oh < 1 || ow < 1) {
            throw new IllegalArgumentException("bad convolution geometry " + this);
        }
    }

    /** Rows of the im2col matrix: C * KH * KW. */
    public int k() {
        return c * kh * kw;
    }

    /** Output positions per channel: OH * OW. */
    public int p() {
        return oh * ow;
    }

    public int inSize() {
        return c * h * w;
    }

    public int outSize() {
        return o * oh * ow;
    }

    public int weightSize() {
        return o * c * kh * kw;
    }

    /** True when im2col is the identity: a 1x1 kernel, stride 1, no padding. */
    public boolean pointwise() {
        return kh == 1 && kw == 1 && sh == 1 && sw == 1 && pt == 0 && pl == 0 && oh == h && ow == w;
    }
}
