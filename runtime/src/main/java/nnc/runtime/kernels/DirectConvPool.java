package nnc.runtime.kernels;

import nnc.runtime.exec.Workspace;

/**
 * Inference only: a stride-1 convolution, its bias, an optional ReLU and a 2x2 max pooling at
 * stride 2 in one pass, so the convolution's output (the largest tensor of a small image
 * model: 32 x 26 x 26 per sample for the tutorial's first layer) is never stored and read
 * back. Training keeps the separate kernels: the backward pass needs the convolution's output.
 *
 * <pre>
 *   s[o, r, q]  = fma over c, u, v in that order of xp[c, r + u, q + v] * w[o, c, u, v]   (as {@link DirectConv})
 *   y[o, i, j]  = epi( act( max over a, b in {0, 1} of s[o, 2i + a, 2j + b]  +  bias[o] ) )
 *   x [C, H, W] -> s [O, OH, OW] (never stored) -> y [O, PH, PW],  PH = OH / 2, PW = OW / 2 (rounded down)
 *   xp: the sample zero-padded by PT above and PL left; act: ReLU or nothing; epi runs on each output plane
 * </pre>
 *
 * Same bits as the unfused kernels: each sum {@code s} is the one {@link DirectConv} computes
 * (the same products added in the same order), and taking the maximum before adding the bias
 * and applying the ReLU changes nothing, because rounding and ReLU are monotone:
 * {@code fl(max s + b) = max fl(s + b)} and {@code relu(max v) = max relu(v)}. An output
 * depends on its sample alone, so a prediction has the same bits alone and in a batch, on any
 * number of threads, and the twins ({@code scalar.ScalarDirectConvPool},
 * {@code simd.SimdDirectConvPool}) agree exactly.
 */
public interface DirectConvPool {
    /**
     * True when {@code pool}, over the output of {@code conv}, can be fused into it: a direct
     * convolution ({@link DirectConv#applies}) and a 2x2 max pooling at stride 2 without padding,
     * rounding its output size down.
     */
    static boolean applies(ConvGeom conv, PoolGeom pool) {
        return DirectConv.applies(conv) && pool.halves(conv);
    }

    /**
     * {@code y = epi(act(maxpool(conv(x, w)) + bias))} for samples [b0, b1), {@code y} at
     * {@code yOff} for sample 0 ({@code pool.outSize()} floats per sample), {@code bias[bOff ..
     * bOff + O)}; {@code relu} says whether the ReLU is applied. {@code epi} runs on each output
     * plane (its base is the output's start). {@code y} is stored blocked by {@code yBlock}
     * channels ({@link ChannelLayout}; 1 for NCHW), which must divide O; any such block is
     * written correctly, and with a block over 1 {@code epi} must be empty.
     */
    void forward(Workspace ws, ConvGeom conv, PoolGeom pool, boolean relu, int b0, int b1, float[] x, int xOff,
                 float[] w, int wOff, float[] bias, int bOff, float[] y, int yOff, int yBlock, Epilogue epi);
}
