package nnc.runtime.kernels;

/**
 * A batch of rows most of whose entries hold one value, the background {@code c} (a normalised
 * image's black pixels): each row's entries that differ from it, as columns and {@code x - c}.
 * The first linear layer of a training step builds it from the model input
 * ({@link GemmKernels#inputGemm}) and its weight gradient reads it again
 * ({@link GemmKernels#inputGemmDw}), so that both products run over the entries that differ:
 *
 * <pre>
 *   x . W^T  = (x - c) . W^T + c * rowsum(W)           (x - c) is mostly zeros
 *   dy^T . x = dy^T . (x - c) + c * colsum(dy)
 * </pre>
 *
 * <p>The sums are the dense product's, regrouped, so they differ from it in rounding only. The
 * background is the value the batch's first column holds most often among its first
 * {@value #GUESS_ROWS} rows (images have black corners). A batch is taken as sparse only when at
 * most {@link #MAX_DENSITY} of its entries differ, only with a finite background, and only when
 * every {@code x - c} of a finite x is finite; then the regrouping adds no NaN as long as
 * {@code rowsum(W)} and {@code colsum(dy)} stay finite (an infinite weight can turn the dense
 * product's inf into NaN: both are non-finite). inf or NaN in x itself are entries like any other.
 * An entry is a value whose bits differ from the background's, so a -0 against a +0 background
 * is an entry of value -0. Buffers only grow: a call in steady state allocates nothing. Not
 * thread safe: one per training step object.
 */
public final class SparseRows {
    /**
     * Above this fraction of entries that differ from the background, the dense product is
     * faster or about as fast (forward and weight gradient, 64 x 784 -> 256 on one AVX2 core:
     * sparse over dense 0.63-0.87 at 0.2, 0.72-0.90 at 0.35, 0.87-1.19 at 0.49).
     */
    public static final double MAX_DENSITY = 0.4;

    /**
     * The fewest columns for which prediction takes a row in alone
     * ({@link GemmKernels#predictInputGemm}): below it building the entries costs about what
     * the product saves.
     */
    public static final int MIN_ROW_COLS = 64;

    /** Rows looked at to guess the background from the first column. */
    private static final int GUESS_ROWS = 32;

    private float background;
    private int rows, cols;
    private int[] rowStart = new int[1];
    private int[] colIndex = new int[0];
    private float[] rowValue = new float[0];
    private long[] bits = new long[0];

    private boolean built;

    private float[] source;
    private int sourceOff, sourceLd;

    /**
     * Reads {@code rows x cols} of {@code x} (row r at {@code off + r * ld}), comparing with
     * {@code kernel}'s {@link SparseGemm#differing}; true when the batch is sparse enough and the
     * structure now describes it, false (and it describes nothing) when the dense product should
     * run. The choice depends on this batch alone (so a resumed run makes the same ones); a dense
     * batch costs the guess and the rows read until the count passes the limit.
     */
    public boolean build(SparseGemm kernel, float[] x, int off, int ld, int rows, int cols) {
        built = false;
        if (rows < 1 || cols < 1) {
            return false;
        }
        long limit = (long) (MAX_DENSITY * rows * cols);
        if (limit > Integer.MAX_VALUE - 8) {
            return false;
        }
        reserve(rows, cols);
        float c = guess(x, off, ld, rows);
        if (!Float.isFinite(c) || !fill(kernel, x, off, ld, rows, cols, c, (int) limit)) {
            return false;
        }
        background = c;
        this.rows = rows;
        this.cols = cols;
        source = x;
        sourceOff = off;
        sourceLd = ld;
        built = true;
        return true;
    }

    /**
     * True when the last {@link #build} succeeded on this array, offset, leading dimension and
     * shape (the weight gradient's check). The contents are not compared: the rows must not
     * change between the forward product that took them in and the weight gradient, as in a
     * training step, whose forward always runs (and rebuilds) first.
     */
    public boolean holds(float[] x, int off, int ld, int rows, int cols) {
        return built && source == x && sourceOff == off && sourceLd == ld && this.rows == rows && this.cols == cols;
    }

    /** The background of the last successful build. */
    public float background() {
        return background;
    }

    public int rows() {
        return rows;
    }

    public int cols() {
        return cols;
    }

    /** Row r's entries are {@code [rowStarts()[r], rowStarts()[r + 1])} of the two arrays after it. */
    public int[] rowStarts() {
        return rowStart;
    }

    /** Each entry's column, ascending within a row. */
    public int[] colIndexes() {
        return colIndex;
    }

    /** Each entry's {@code x - c}. */
    public float[] rowValues() {
        return rowValue;
    }

    /** The value the first column holds most often among the first rows (the earliest on a tie). */
    private static float guess(float[] x, int off, int ld, int rows) {
        int n = Math.min(rows, GUESS_ROWS);
        float best = x[off];
        int bestCount = 0;
        for (int r = 0; r < n; r++) {
            float v = x[off + r * ld];
            int count = 0;
            for (int s = 0; s < n; s++) {
                if (Float.floatToRawIntBits(x[off + s * ld]) == Float.floatToRawIntBits(v)) {
                    count++;
                }
            }
            if (count > bestCount) {
                best = v;
                bestCount = count;
            }
        }
        return best;
    }

    private void reserve(int rows, int cols) {
        if (rowStart.length < rows + 1) {
            rowStart = new int[rows + 1];
        }
        if (bits.length < rows * ((cols + 63) / 64)) {
            bits = new long[rows * ((cols + 63) / 64)];
        }
    }

    /**
     * The entries; false when more than {@code limit} differ or a finite x minus the background
     * overflows. They are counted first, from the bit masks alone, stopping once past the limit,
     * so a dense batch writes and allocates nothing; the first sparse batch of a shape sizes the
     * entry arrays for the most any sparse batch can have. Then only the masks' set bits are
     * visited.
     */
    private boolean fill(SparseGemm kernel, float[] x, int off, int ld, int rows, int cols, float c, int limit) {
        int cb = Float.floatToRawIntBits(c);
        int words = (cols + 63) / 64;
        int p = 0;
        for (int r = 0; r < rows && p <= limit; r++) {
            kernel.differing(x, off + r * ld, cols, cb, bits, r * words);
            for (int w = r * words; w < (r + 1) * words; w++) {
                p += Long.bitCount(bits[w]);
            }
        }
        if (p > limit) {
            return false;
        }
        if (colIndex.length < p) {
            colIndex = new int[limit];
            rowValue = new float[limit];
        }
        p = 0;
        for (int r = 0; r < rows; r++) {
            rowStart[r] = p;
            int base = off + r * ld;
            for (int w = 0; w < words; w++) {
                long m = bits[r * words + w];
                while (m != 0) {
                    int j = w * 64 + Long.numberOfTrailingZeros(m);
                    float v = x[base + j];
                    float d = v - c;
                    if (Float.isInfinite(d) && Float.isFinite(v)) {
                        return false;
                    }
                    colIndex[p] = j;
                    rowValue[p] = d;
                    p++;
                    m &= m - 1;
                }
            }
        }
        rowStart[rows] = p;
        return true;
    }
}
