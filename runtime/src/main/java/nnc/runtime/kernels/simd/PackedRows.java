package nnc.runtime.kernels.simd;

import java.util.Arrays;
import nnc.runtime.exec.Workspace;
import nnc.runtime.kernels.Epilogue;

/**
 * {@code c = a . B^T} for one row {@code a} (a prediction of one sample) with B read from a
 * copy that keeps each group of eight rows' vectors side by side: the 1 x 8 tile then reads
 * one stream of 512 contiguous bytes per step instead of eight streams a row apart. At batch
 * 1 a linear layer reads every weight once and does little else, so the layout is what sets
 * its speed (docs/performance.md, "MLP batch 1: packed rows", session 29).
 *
 * <p>The copies belong to a {@link Workspace} (one thread's), made on first use and made
 * again when its version changes: only products whose B is the array the workspace was told
 * about ({@link Workspace#allowPacked}), whose owner bumps the version whenever that array
 * changes. Every sum is the one {@link DotKernel#tile1x8} makes from B as stored, so a
 * sample gets the same bits either way. At most {@link #BUDGET} floats are copied per
 * workspace; larger models read the rest as stored.
 */
final class PackedRows {
    /** Floats of packed copies one workspace may hold (16 MB). */
    static final int BUDGET = 4 << 20;

    private static final int L = DotKernel.L;

    /** One packed matrix: B's place and shape, the copy, and the version it was copied at. */
    private static final class Entry {
        final float[] b;
        final int bOff, n, k, ldb;
        final float[] packed;
        long version;

        Entry(float[] b, int bOff, int n, int k, int ldb, float[] packed, long version) {
            this.b = b;
            this.bOff = bOff;
            this.n = n;
            this.k = k;
            this.ldb = ldb;
            this.packed = packed;
            this.version = version;
        }

        boolean isFor(float[] b, int bOff, int n, int k, int ldb) {
            return this.b == b && this.bOff == bOff && this.n == n && this.k == k && this.ldb == ldb;
        }
    }

    /** A workspace's copies, and the floats they hold. */
    private static final class Copies {
        Entry[] entries = new Entry[0];
        long floats;
    }

    private PackedRows() {
    }

    /** {@code c[cOff .. cOff + n] (+)= a[aOff .. aOff + k] . B^T}, then the epilogue. */
    static void product(Workspace ws, int n, int k, float[] a, int aOff, float[] b, int bOff, int ldb, float[] c,
                        int cOff, boolean accumulate, Epilogue epi, float[] scratch) {
        float[] w = packed(ws, n, k, b, bOff, ldb);
        int group = 8 * vectorPart(k);
        for (int j = 0; j < n; j += 8) {
            if (w == null) {
                DotKernel.tile1x8(k, a, aOff, b, bOff + j * ldb, ldb, L, b, bOff + j * ldb, ldb, Math.min(8, n - j),
                        c, cOff + j, accumulate, scratch);
            } else {
                DotKernel.tile1x8(k, a, aOff, w, j / 8 * group, L, 8 * L, b, bOff + j * ldb, ldb, Math.min(8, n - j),
                        c, cOff + j, accumulate, scratch);
            }
        }
        if (!epi.isEmpty()) {
            epi.apply(c, cOff, n);
        }
    }

    /** The vector part of a row of k: what the tile reads from the copy. */
    private static int vectorPart(int k) {
        return DotKernel.S.loopBound(k);
    }

    /** The current copy of B, or null when it would pass the budget. */
    static float[] packed(Workspace ws, int n, int k, float[] b, int bOff, int ldb) {
        Copies copies = ws.packed() instanceof Copies x ? x : new Copies();
        ws.setPacked(copies);
        for (Entry e : copies.entries) {
            if (e.isFor(b, bOff, n, k, ldb)) {
                if (e.version != ws.packVersion()) {
                    pack(e.packed, n, k, b, bOff, ldb);
                    e.version = ws.packVersion();
                }
                return e.packed;
            }
        }
        long size = (long) (n + 7) / 8 * 8 * vectorPart(k);
        if (copies.floats + size > BUDGET) {
            return null;
        }
        float[] w = new float[(int) size];
        pack(w, n, k, b, bOff, ldb);
        copies.entries = Arrays.copyOf(copies.entries, copies.entries.length + 1);
        copies.entries[copies.entries.length - 1] = new Entry(b, bOff, n, k, ldb, w, ws.packVersion());
        copies.floats += size;
        return w;
    }

    /**
     * Row r's vector at k-offset p goes to {@code (r / 8) * 8 * bound + p / L * 8 L + (r % 8) * L};
     * the slots of a last group's missing rows stay as they are (the tile never reads them).
     */
    static void pack(float[] w, int n, int k, float[] b, int bOff, int ldb) {
        int bound = vectorPart(k);
        for (int r = 0; r < n; r++) {
            int base = r / 8 * 8 * bound + r % 8 * L;
            for (int p = 0; p < bound; p += L) {
                System.arraycopy(b, bOff + r * ldb + p, w, base + p * 8, L);
            }
        }
    }
}
