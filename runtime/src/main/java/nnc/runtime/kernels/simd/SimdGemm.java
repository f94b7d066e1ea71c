package nnc.runtime.kernels.simd;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import nnc.runtime.exec.Exec;
import nnc.runtime.exec.Task;
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
    static final int KC = 256;
    static final int MC = 144;
    static final int NC = 3072;

    /** Below this many multiply-adds a product runs on one thread. */
    static final long PARALLEL_MIN_WORK = 1L << 18;

    private static final int SLOT = Exec.newSlot();

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
        Split job = (Split) ex.slot(SLOT);
        if (job == null) {
            job = new Split(ex);
            ex.setSlot(SLOT, job);
        }
        job.set(this, transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, accumulate, epi);
        ex.run(job.tasks, job);
    }

    /** A product split into column ranges (or row ranges when C is tall); reused per exec. */
    private static final class Split implements Task {
        private final Exec ex;
        SimdGemm gemm;
        boolean transA, transB, accumulate, byColumns;
        int m, n, k, aOff, lda, bOff, ldb, cOff, ldc, chunk, tasks;
        float[] a, b, c;
        Epilogue epi;

        Split(Exec ex) {
            this.ex = ex;
        }

        void set(SimdGemm gemm, boolean transA, boolean transB, int m, int n, int k,
                 float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                 float[] c, int cOff, int ldc, boolean accumulate, Epilogue epi) {
            this.gemm = gemm;
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
        float[] bp = ws.floats(Workspace.GEMM_B, kcMax * roundUp(Math.min(NC, n), NR));
        float[] ap = ws.floats(Workspace.GEMM_A, kcMax * roundUp(Math.min(MC, m), MR));
        float[] tile = ws.floats(Workspace.GEMM_TILE, MR * NR);
        for (int jc = 0; jc < n; jc += NC) {
            int nc = Math.min(NC, n - jc);
            for (int pc = 0; pc < k; pc += KC) {
                int kc = Math.min(KC, k - pc);
                boolean loadC = accumulate || pc > 0;
                boolean last = pc + kc == k;
                Packing.packB(transB, b, bOff, ldb, pc, kc, jc, nc, bp);
                for (int ic = 0; ic < m; ic += MC) {
                    int mc = Math.min(MC, m - ic);
                    Packing.packA(transA, a, aOff, lda, ic, mc, pc, kc, ap);
                    macroKernel(mc, nc, kc, ap, bp, c, cOff + ic * ldc + jc, ldc, loadC, tile);
                    if (last && !epi.isEmpty()) {
                        for (int r = 0; r < mc; r++) {
                            epi.apply(c, cOff + (ic + r) * ldc + jc, nc);
                        }
                    }
                }
            }
        }
    }

    private static void macroKernel(int mc, int nc, int kc, float[] ap, float[] bp,
                                    float[] c, int cOff, int ldc, boolean loadC, float[] tile) {
        for (int jr = 0; jr < nc; jr += NR) {
            int nr = Math.min(NR, nc - jr);
            int bo = jr * kc;
            for (int ir = 0; ir < mc; ir += MR) {
                int mr = Math.min(MR, mc - ir);
                int ao = ir * kc;
                int co = cOff + ir * ldc + jr;
                if (mr == MR && nr == NR) {
                    MicroKernel.run(kc, ap, ao, bp, bo, c, co, ldc, loadC);
                } else {
                    MicroKernel.run(kc, ap, ao, bp, bo, tile, 0, NR, false);
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

    static int roundUp(int x, int unit) {
        return (x + unit - 1) / unit * unit;
    }
}
