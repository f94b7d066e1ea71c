package nnc.runtime.exec;

/**
 * Scratch memory owned by one thread of an {@link Exec}: packing panels, im2col columns. One
 * buffer per {@link Buffer}; buffers only grow, so after the first step of a fixed-shape
 * model nothing is allocated.
 */
public final class Workspace {
    /** The scratch buffers; each kernel family owns its own. */
    public enum Buffer {
        /** GEMM: the packed A block, the packed B block, one edge tile of C. */
        GEMM_A, GEMM_B, GEMM_TILE,
        /** Convolution: the im2col matrix of one sample. */
        CONV_COL,
        /**
         * Winograd convolution: padded input samples, the transformed input of a tile block,
         * its transform-domain products (or transformed output gradient), transform scratch.
         */
        WINOGRAD_IN, WINOGRAD_V, WINOGRAD_M, WINOGRAD_TMP, WINOGRAD_DY,
        /** Winograd convolution with pooling: the pooled pixels of a sample, channels last. */
        WINOGRAD_POOL,
        /**
         * Direct convolution: one zero-padded input sample, the packed weights, a block of sums;
         * with pooling, one sample's output planes on their way to a channel-blocked layout.
         */
        DIRECT_IN, DIRECT_W, DIRECT_OUT, DIRECT_BLOCKED,
        /** Direct weight gradient: one sample's input by tap and position, the running sums. */
        DIRECT_COLS, DIRECT_SUMS,
        /** A linear layer on a sparse input: a block of W (or dW) transposed, features fastest. */
        SPARSE_T
    }

    private final float[][] buffers = new float[Buffer.values().length][];
    private int[] ints = new int[0];

    /** {@code buffer}, at least {@code size} floats long; the contents are undefined. */
    public float[] floats(Buffer buffer, int size) {
        int i = buffer.ordinal();
        float[] b = buffers[i];
        if (b == null || b.length < size) {
            b = new float[Math.max(size, b == null ? 0 : b.length + (b.length >> 1))];
            buffers[i] = b;
        }
        return b;
    }

    /** An int scratch buffer (tile offsets), at least {@code size} long; the contents are undefined. */
    public int[] ints(int size) {
        if (ints.length < size) {
            ints = new int[Math.max(size, ints.length + (ints.length >> 1))];
        }
        return ints;
    }
}
