package nnc.runtime.kernels;

/**
 * How a tensor passed between two spatial kernels holds its channels. The arena's tensors are
 * NCHW; between a kernel that computes several channels of a pixel at once (on the lanes) and
 * one that reads them so, the compiler may store them channel-blocked (NCHWc) instead, and
 * neither kernel transposes. The block {@code c} is the backend's ({@link Backend#channelBlock}):
 * 8 with the SIMD kernels on 8 lanes, else 1, which is NCHW itself. Same size, same values:
 * only where each value sits changes.
 *
 * <pre>
 *   NCHW      x[b][c][h][w]                          per sample [C, H, W]
 *   BLOCKED   x[b][c / cb][h][w][c % cb]             per sample [C / cb, H, W, cb],  cb = channelBlock()
 * </pre>
 */
public enum ChannelLayout {
    NCHW, BLOCKED;

    /**
     * Every backend's block divides this: a tensor whose channel count is a multiple of it can
     * be stored blocked on any backend (the compiler's condition).
     */
    public static final int BLOCK_MULTIPLE = 16;

    /** The channels per block this layout has on {@code backend}: 1 for NCHW. */
    public int block(Backend backend) {
        return this == NCHW ? 1 : backend.channelBlock();
    }

    /** Where channel {@code c} of pixel {@code p} (of {@code plane}) sits in a sample blocked by {@code block}. */
    public static int index(int c, int p, int plane, int block) {
        return (c / block * plane + p) * block + c % block;
    }

    /** Fails with an internal error unless {@code block} (a power of two) divides {@code channels}. */
    static void check(int channels, int block) {
        if (block < 1 || channels % block != 0) {
            throw new IllegalArgumentException("internal error: " + channels + " channels in blocks of " + block);
        }
    }

    /** One sample {@code src[so ..] [C, plane]} into {@code dst[dOff ..]} blocked by {@code block}. */
    public static void toBlocked(float[] src, int so, float[] dst, int dOff, int channels, int plane, int block) {
        for (int c0 = 0; c0 < channels; c0 += block) {
            int to = dOff + c0 * plane;
            for (int p = 0; p < plane; p++) {
                for (int c = 0; c < block; c++) {
                    dst[to + p * block + c] = src[so + (c0 + c) * plane + p];
                }
            }
        }
    }

    /** One sample {@code src[so ..]} blocked by {@code block} into {@code dst[dOff ..] [C, plane]}. */
    public static void fromBlocked(float[] src, int so, float[] dst, int dOff, int channels, int plane, int block) {
        for (int c0 = 0; c0 < channels; c0 += block) {
            int from = so + c0 * plane;
            for (int p = 0; p < plane; p++) {
                for (int c = 0; c < block; c++) {
                    dst[dOff + (c0 + c) * plane + p] = src[from + p * block + c];
                }
            }
        }
    }
}
