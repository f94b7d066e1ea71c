package nnc.runtime.exec;

/**
 * Scratch memory owned by one thread of an {@link Exec}: packing panels, im2col columns,
 * partial sums. Buffers only grow, so after the first step of a fixed-shape model nothing
 * is allocated.
 */
public final class Workspace {
    private final float[][] buffers = new float[8][];

    /** A buffer of at least {@code size} floats in slot {@code slot}; contents are undefined. */
    public float[] floats(int slot, int size) {
        float[] b = buffers[slot];
        if (b == null || b.length < size) {
            b = new float[Math.max(size, b == null ? 0 : b.length + (b.length >> 1))];
            buffers[slot] = b;
        }
        return b;
    }

    /** Slots used by the kernels; each kernel family owns its slots. */
    public static final int GEMM_A = 0, GEMM_B = 1, GEMM_TILE = 2, CONV_COL = 3, CONV_TMP = 4,
            REDUCE = 5, SPARE = 6, SPARE2 = 7;
}
