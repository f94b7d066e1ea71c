package nnc.runtime.kernels;

/**
 * The geometry of 2-D pooling on NCHW tensors, per sample: {@code x [C, H, W] -> y [C, OH, OW]},
 * windows of {@code KH x KW} at strides {@code SH, SW}, offset by the padding {@code PT, PL}.
 * Max pooling ignores padded positions; average pooling counts them (divides by KH * KW),
 * as PyTorch's default {@code count_include_pad=True}.
 */
public record PoolGeom(int c, int h, int w, int kh, int kw, int sh, int sw, int pt, int pl, int oh, int ow) {
    public PoolGeom {
        if (c < 1 || h < 1 || w < 1 || kh < 1 || kw < 1 || sh < 1 || sw < 1 || pt < 0 || pl < 0 || oh < 1 || ow < 1) {
            throw new IllegalArgumentException("bad pooling geometry " + this);
        }
    }

    /**
     * True when this pooling takes 2x2 windows at stride 2 without padding over the whole output
     * of {@code conv}, rounding its size down: the pooling a convolution kernel can run on its
     * own results ({@link DirectConvPool}, {@link Winograd#forwardPooled}).
     */
    public boolean halves(ConvGeom conv) {
        return c == conv.o() && h == conv.oh() && w == conv.ow() && kh == 2 && kw == 2 && sh == 2 && sw == 2
                && pt == 0 && pl == 0 && oh == conv.oh() / 2 && ow == conv.ow() / 2;
    }

    public int inSize() {
        return c * h * w;
    }

    public int outSize() {
        return c * oh * ow;
    }
}
