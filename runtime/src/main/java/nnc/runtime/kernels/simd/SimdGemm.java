package nnc.runtime.kernels.simd;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import nnc.runtime.exec.Exec;
import nnc.runtime.exec.Task;
import nnc.runtime.exec.TaskSlot;
import nnc.runtime.exec.Workspace;
import nnc.runtime.kernels.Epilogue;
import nnc.runtime.kernels.Gemm;

/**
 * Packed, cache-blocked GEMM on the Vector API (the BLIS loop nest).
 *
 * <pre>
 *   for jc in N by NC:                      B block  [KC x NC] packed once, lives in L2
 *     for pc in K by KC:
 *       pack B[pc.., jc..] into NR-wide panels (k-major)
 *       for ic in M by MC:                  A block  [MC x KC] packed, lives in L2
 *         pack A[ic.., pc..] into MR-tall panels (k-major)
 *         for jr in NC by NR:               one B panel [KC x NR] stays in L1
 *           for ir in MC by MR:
 *             micro-kernel: C[MR x NR] (+)= Apanel . Bpanel   (registers)
 *         on the last pc: epilogue on rows of C[ic.., jc..]
 * </pre>
 *
 * Packing reads A and B in whichever layout {@code transA}/{@code transB} say, so the
 * micro-kernel sees one layout; edge panels are zero-padded and their tiles go through a
 * small buffer. Threads split C into column (or row) ranges aligned to the panel width;
 * every element of C is computed by one thread in a fixed order, so results do not depend
 * on scheduling.
 */
public final class SimdGemm implements Gemm {
    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    static final int L = S.length();
    static final int MR = MicroKernel.MR;
    static final int NR = MicroKernel.NR;
    static final int KC = 512;
    static final int MC = 72;
    static final int NC = 3072;

    /**
     * Up to this many rows of C (nnc.runtime.model.Predictor.MAX_ROWS relies on it: a sample
     * predicted in any batch gets the same bits), {@code A . B^T} runs as row-by-row dot products
     * ({@link DotKernel}) instead of packing B, and {@code A . B} reads B in place.
     */
    static final int SMALL_M = 128;

    /** Shorter dot products spend too much in the reductions and the scalar tail. */
    static final int DOT_MIN_K = 64;

    /** Below this many multiply-adds a product runs on one thread. */
    static final long PARALLEL_MIN_WORK = 1L << 18;

    private static final TaskSlot<SimdGemm, Split> SPLIT = new TaskSlot<>(Split::new);
    private static final TaskSlot<SimdGemm, Shared> SHARED = new TaskSlot<>((ex, gemm) -> new Shared(ex));

    /** The operands of one product, for the reusable tasks that split it over threads. */
    private abstract static class Product implements Task {
        final Exec ex;
        boolean transA, transB, accumulate;
        int m, n, k, aOff, lda, bOff, ldb, cOff, ldc;
        float[] a, b, c;
        Epilogue epi;

        Product(Exec ex) {
            this.ex = ex;
        }

        final void set(boolean transA, boolean transB, int m, int n, int k, float[] a, int aOff, int lda, float[] b,
                       int bOff, int ldb, float[] c, int cOff, int ldc, boolean accumulate, Epilogue epi) {
            this.transA = transA;
            this.transB = transB;
            this.m = m;
            this.n = n;
            this.k = k;
            this.a = a;
            this.aOff = aOff;
            this.lda = lda;
            this.b = b;
            this.bOff = bOff;
            this.ldb = ldb;
            this.c = c;
            this.cOff = cOff;
            this.ldc = ldc;
            this.accumulate = accumulate;
            this.epi = epi;
        }

        /** Drops the references to the caller's arrays once the product is done. */
        final void release() {
            a = b = c = null;
            epi = null;
        }
    }

    /**
     * A large product on several threads, BLIS style: for each K block, the threads first
     * pack the B block together into one shared buffer, then take MC-row blocks of C, each
     * packing its own A block. Nothing is packed twice, and small row blocks balance the load
     * when one core is slower. Every element of C is still summed by one thread in K order.
     */
    private static final class Shared extends Product {
        private float[] bp = new float[0];
        boolean packing;
        int jc, nc, pc, kc, mcBlock;

        Shared(Exec ex) {
            super(ex);
        }

        void run(boolean transA, boolean transB, int m, int n, int k, float[] a, int aOff, int lda, float[] b, int bOff,
                 int ldb, float[] c, int cOff, int ldc, boolean accumulate, Epilogue epi) {
            set(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, accumulate, epi);
            int need = Math.min(KC, k) * roundUp(Math.min(NC, n), NR);
            if (bp.length < need) {
                bp = new float[need];
            }
            // Row blocks of at most MC, as many as a multiple of the thread count and of equal
            // height, so no thread is left with a short last block while the other waits.
            int threads = ex.threads();
            int blocks = ((m + MC - 1) / MC + threads - 1) / threads * threads;
            mcBlock = roundUp((m + blocks - 1) / blocks, MR);
            int rowTasks = (m + mcBlock - 1) / mcBlock;
            for (jc = 0; jc < n; jc += NC) {
                nc = Math.min(NC, n - jc);
                for (pc = 0; pc < k; pc += KC) {
                    kc = Math.min(KC, k - pc);
                    packing = true;
                    int panels = (nc + NR - 1) / NR;
                    ex.run(Math.min(panels, 4 * ex.threads()), this);
                    packing = false;
                    ex.run(rowTasks, this);
                }
            }
            release();
        }

        @Override
        public void run(int index, int worker) {
            if (packing) {
                int panels = (nc + NR - 1) / NR;
                int pieces = Math.min(panels, 4 * ex.threads());
                int per = (panels + pieces - 1) / pieces;
                int j0 = index * per * NR;
                int j1 = Math.min(nc, j0 + per * NR);
                if (j0 < j1) {
                    Packing.packB(transB, b, bOff, ldb, pc, kc, jc + j0, j1 - j0, bp, j0 * kc);
                }
                return;
            }
            Workspace ws = ex.workspace(worker);
            int ic = index * mcBlock;
            int mc = Math.min(mcBlock, m - ic);
            float[] ap = ws.floats(Workspace.Buffer.GEMM_A, kc * roundUp(mc, MR));
            float[] tile = ws.floats(Workspace.Buffer.GEMM_TILE, MR * NR);
            Packing.packA(transA, a, aOff, lda, ic, mc, pc, kc, ap);
            int cBlock = cOff + ic * ldc + jc;
            macroKernel(mc, nc, kc, ap, bp, 0, NR, kc, c, cBlock, ldc, accumulate || pc > 0, tile);
            if (pc + kc == k && !epi.isEmpty()) {
                for (int r = 0; r < mc; r++) {
                    epi.apply(c, cBlock + r * ldc, nc);
                }
            }
        }
    }

    @Override
    public void gemm(Exec ex, boolean transA, boolean transB, int m, int n, int k,
                     float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                     float[] c, int cOff, int ldc, boolean accumulate, Epilogue epi) {
        int threads = ex.threads();
        if (threads == 1 || (long) m * n * k < PARALLEL_MIN_WORK) {
            gemmSerial(ex.workspace(0), transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb,
                    c, cOff, ldc, accumulate, epi);
            return;
        }
        if (m > SMALL_M && m >= 2 * MC && !InPlaceGemm.applies(transA, transB, m, n, k)) {
            SHARED.get(ex, this).run(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, accumulate, epi);
            return;
        }
        Split job = SPLIT.get(ex, this);
        job.split(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, accumulate, epi);
        ex.run(job.tasks, job);
        job.release();
    }

    /** A product split into column ranges (or row ranges when C is tall); reused per exec. */
    private static final class Split extends Product {
        final SimdGemm gemm;
        boolean byColumns;
        int chunk, tasks;

        Split(Exec ex, SimdGemm gemm) {
            super(ex);
            this.gemm = gemm;
        }

        void split(boolean transA, boolean transB, int m, int n, int k,
                   float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                   float[] c, int cOff, int ldc, boolean accumulate, Epilogue epi) {
            set(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, accumulate, epi);
            int threads = ex.threads();
            // Split the dimension that leaves each thread the larger share of work per packed
            // element; keep ranges whole panels.
            this.byColumns = n >= m || m < threads * MR;
            int extent = byColumns ? n : m;
            int unit = byColumns ? NR : MR;
            int units = (extent + unit - 1) / unit;
            int pieces = Math.min(units, threads);
            int per = (units + pieces - 1) / pieces;
            this.chunk = per * unit;
            this.tasks = (extent + chunk - 1) / chunk;
        }

        @Override
        public void run(int index, int worker) {
            Workspace ws = ex.workspace(worker);
            int start = index * chunk;
            if (byColumns) {
                int cols = Math.min(chunk, n - start);
                int bStart = transB ? bOff + start * ldb : bOff + start;
                gemm.gemmSerial(ws, transA, transB, m, cols, k, a, aOff, lda, b, bStart, ldb,
                        c, cOff + start, ldc, accumulate, epi);
            } else {
                int rows = Math.min(chunk, m - start);
                int aStart = transA ? aOff + start : aOff + start * lda;
                gemm.gemmSerial(ws, transA, transB, rows, n, k, a, aStart, lda, b, bOff, ldb,
                        c, cOff + start * ldc, ldc, accumulate, epi);
            }
        }
    }

    @Override
    public void gemmSerial(Workspace ws, boolean transA, boolean transB, int m, int n, int k,
                           float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                           float[] c, int cOff, int ldc, boolean accumulate, Epilogue epi) {
        if (m <= 0 || n <= 0) {
            return;
        }
        if (transB && !transA && m <= SMALL_M && k >= DOT_MIN_K && (L == 16 || L == 8)) {
            dotProducts(m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, accumulate, epi,
                    ws.floats(Workspace.Buffer.GEMM_TILE, MR * NR));
            return;
        }
        if (InPlaceGemm.applies(transA, transB, m, n, k)) {
            InPlaceGemm.gemm(this, ws, transA, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, accumulate, epi);
            return;
        }
        if (k <= 0) {
            for (int i = 0; i < m; i++) {
                if (!accumulate) {
                    java.util.Arrays.fill(c, cOff + i * ldc, cOff + i * ldc + n, 0f);
                }
                if (!epi.isEmpty()) {
                    epi.apply(c, cOff + i * ldc, n);
                }
            }
            return;
        }
        int kcMax = Math.min(KC, k);
        float[] bp = ws.floats(Workspace.Buffer.GEMM_B, kcMax * roundUp(Math.min(NC, n), NR));
        float[] ap = ws.floats(Workspace.Buffer.GEMM_A, kcMax * roundUp(Math.min(MC, m), MR));
        float[] tile = ws.floats(Workspace.Buffer.GEMM_TILE, MR * NR);
        // Few rows: each B element is used by few micro-kernel calls, so read B in place
        // (whole panels; a ragged last panel is still packed).
        boolean inPlace = !transB && m <= SMALL_M;
        for (int jc = 0; jc < n; jc += NC) {
            int nc = Math.min(NC, n - jc);
            int fullPanels = inPlace ? nc / NR * NR : 0;
            for (int pc = 0; pc < k; pc += KC) {
                int kc = Math.min(KC, k - pc);
                boolean loadC = accumulate || pc > 0;
                boolean last = pc + kc == k;
                if (fullPanels < nc) {
                    Packing.packB(transB, b, bOff, ldb, pc, kc, jc + fullPanels, nc - fullPanels, bp);
                }
                for (int ic = 0; ic < m; ic += MC) {
                    int mc = Math.min(MC, m - ic);
                    Packing.packA(transA, a, aOff, lda, ic, mc, pc, kc, ap);
                    int cBlock = cOff + ic * ldc + jc;
                    if (fullPanels > 0) {
                        macroKernel(mc, fullPanels, kc, ap, b, bOff + pc * ldb + jc, ldb, 1, c, cBlock, ldc, loadC, tile);
                    }
                    if (fullPanels < nc) {
                        macroKernel(mc, nc - fullPanels, kc, ap, bp, 0, NR, kc, c, cBlock + fullPanels, ldc, loadC, tile);
                    }
                    if (last && !epi.isEmpty()) {
                        for (int r = 0; r < mc; r++) {
                            epi.apply(c, cOff + (ic + r) * ldc + jc, nc);
                        }
                    }
                }
            }
        }
    }

    /**
     * The micro-kernel over an MC x NC block. B panel {@code jr} starts at
     * {@code bBase + jr * panelStep} with rows {@code bStride} apart: packed panels have
     * {@code panelStep = kc, bStride = NR}; B in place has {@code panelStep = 1, bStride = ldb}.
     */
    private static void macroKernel(int mc, int nc, int kc, float[] ap, float[] bp, int bBase, int bStride,
                                    int panelStep, float[] c, int cOff, int ldc, boolean loadC, float[] tile) {
        for (int jr = 0; jr < nc; jr += NR) {
            int nr = Math.min(NR, nc - jr);
            int bo = bBase + jr * panelStep;
            for (int ir = 0; ir < mc; ir += MR) {
                int mr = Math.min(MR, mc - ir);
                int ao = ir * kc;
                int co = cOff + ir * ldc + jr;
                if (mr == MR && nr == NR) {
                    MicroKernel.run(kc, ap, ao, MR, bp, bo, bStride, c, co, ldc, loadC);
                } else {
                    MicroKernel.run(kc, ap, ao, MR, bp, bo, bStride, tile, 0, NR, false);
                    for (int r = 0; r < mr; r++) {
                        int cr = co + r * ldc;
                        int tr = r * NR;
                        if (loadC) {
                            for (int j = 0; j < nr; j++) {
                                c[cr + j] += tile[tr + j];
                            }
                        } else {
                            System.arraycopy(tile, tr, c, cr, nr);
                        }
                    }
                }
            }
        }
    }

    /** Rows of C per block of the dot-product path (they stay in cache for the epilogue). */
    static final int DOT_ROWS = 64;

    /**
     * {@code C = A . B^T} as dot products of rows, a tile at a time: 4 x 4 with 512-bit vectors,
     * 2 x 6 with 256-bit ones (other widths pack B instead); see {@link DotKernel}.
     */
    private static void dotProducts(int m, int n, int k, float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                                    float[] c, int cOff, int ldc, boolean accumulate, Epilogue epi, float[] scratch) {
        for (int i0 = 0; i0 < m; i0 += DOT_ROWS) {
            int i1 = Math.min(m, i0 + DOT_ROWS);
            if (L == 16) {
                dotBlock4x4(i0, i1, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, accumulate, scratch);
            } else {
                int pairs = i0 + (i1 - i0) / 2 * 2;
                for (int j = 0; j < n && pairs > i0; j += 6) {
                    for (int i = i0; i < pairs; i += 2) {
                        DotKernel.tile2x6(k, a, aOff + i * lda, lda, 2, b, bOff + j * ldb, ldb,
                                Math.min(6, n - j), c, cOff + i * ldc + j, ldc, accumulate, scratch);
                    }
                }
                singleRows(pairs, i1, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, accumulate, scratch);
            }
            if (!epi.isEmpty()) {
                for (int i = i0; i < i1; i++) {
                    epi.apply(c, cOff + i * ldc, n);
                }
            }
        }
    }

    /** Rows {@code i0..i1} of {@code C = A . B^T} in 4 x 4 tiles, single dot products at the edges. */
    private static void dotBlock4x4(int i0, int i1, int n, int k, float[] a, int aOff, int lda, float[] b, int bOff,
                                    int ldb, float[] c, int cOff, int ldc, boolean accumulate, float[] scratch) {
        int quads = i0 + (i1 - i0) / 4 * 4;
        if (quads > i0) {
            int j = 0;
            for (; j + 4 <= n; j += 4) {
                for (int i = i0; i < quads; i += 4) {
                    DotKernel.tile4x4(k, a, aOff + i * lda, lda, b, bOff + j * ldb, ldb, c, cOff + i * ldc + j, ldc,
                            accumulate, scratch);
                }
            }
            for (; j < n; j++) {
                for (int i = i0; i < quads; i++) {
                    DotKernel.one(k, a, aOff + i * lda, b, bOff + j * ldb, c, cOff + i * ldc + j, accumulate);
                }
            }
        }
        singleRows(quads, i1, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, accumulate, scratch);
    }

    /** Rows {@code i0..i1} of {@code C = A . B^T} one at a time, in 1 x 8 tiles (a batch of one sample). */
    private static void singleRows(int i0, int i1, int n, int k, float[] a, int aOff, int lda, float[] b, int bOff,
                                   int ldb, float[] c, int cOff, int ldc, boolean accumulate, float[] scratch) {
        for (int i = i0; i < i1; i++) {
            for (int j = 0; j < n; j += 8) {
                DotKernel.tile1x8(k, a, aOff + i * lda, b, bOff + j * ldb, ldb, Math.min(8, n - j),
                        c, cOff + i * ldc + j, accumulate, scratch);
            }
        }
    }

    static int roundUp(int x, int unit) {
        return (x + unit - 1) / unit * unit;
    }
}
