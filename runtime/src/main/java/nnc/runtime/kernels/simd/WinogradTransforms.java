package nnc.runtime.kernels.simd;

import static nnc.runtime.kernels.Winograd.R;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The vector transforms of {@link SimdWinograd}, F(4x4, 3x3), each on L channels of one tile at
 * once (channels last: a pixel's channels are one vector). Every 2-D transform is two passes of
 * the 1-D one through a small scratch block ({@code tmp}, up to 36 vectors): first down the
 * columns of the patch, then along its rows. The 1-D formulas are the rows of
 * {@code Winograd.BT}, {@code Winograd.AT}, A and {@code Winograd.G} with common terms shared.
 *
 * <p>The vector code is written out in each loop rather than in helpers: a vector passed to a
 * method C2 does not inline is boxed (performance.md).
 */
final class WinogradTransforms {
    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    static final int L = S.length();
    static final int A = 6;
    static final int XI = 36;

    private static final float[][] GT = {
        {1 / 4f, -1 / 6f, -1 / 6f, 1 / 24f, 1 / 24f, 0},
        {0, -1 / 6f, 1 / 6f, 1 / 12f, -1 / 12f, 0},
        {0, -1 / 6f, -1 / 6f, 1 / 6f, 1 / 6f, 1}};

    private WinogradTransforms() {
    }

    /**
     * {@code v[vOff + xi * xiStride] = (B^T d B)[xi]} for L channels of one tile, whose 6 x 6
     * patch {@code d[r][s]} is the vector at {@code in[inOff + r * rowStride + s * pixStride]}.
     */
    static void input(float[] in, int inOff, int pixStride, int rowStride, float[] v, int vOff, int xiStride,
                      float[] tmp) {
        FloatVector four = FloatVector.broadcast(S, 4f);
        FloatVector minusFour = FloatVector.broadcast(S, -4f);
        FloatVector five = FloatVector.broadcast(S, 5f);
        FloatVector two = FloatVector.broadcast(S, 2f);
        for (int s = 0; s < A; s++) {
            // Down the column s of the patch: t[k][s] = sum_r BT[k][r] d[r][s].
            int p = inOff + s * pixStride;
            FloatVector d0 = FloatVector.fromArray(S, in, p);
            FloatVector d1 = FloatVector.fromArray(S, in, p + rowStride);
            FloatVector d2 = FloatVector.fromArray(S, in, p + 2 * rowStride);
            FloatVector d3 = FloatVector.fromArray(S, in, p + 3 * rowStride);
            FloatVector d4 = FloatVector.fromArray(S, in, p + 4 * rowStride);
            FloatVector d5 = FloatVector.fromArray(S, in, p + 5 * rowStride);
            FloatVector p12 = d1.add(d2);
            FloatVector m12 = d1.sub(d2);
            FloatVector p34 = d3.add(d4);
            FloatVector m43 = d4.sub(d3);
            FloatVector m42 = d4.sub(d2);
            FloatVector m31 = d3.sub(d1).mul(two);
            d0.fma(four, d4.sub(d2.mul(five))).intoArray(tmp, s * L);
            p12.fma(minusFour, p34).intoArray(tmp, (A + s) * L);
            m12.fma(four, m43).intoArray(tmp, (2 * A + s) * L);
            m42.add(m31).intoArray(tmp, (3 * A + s) * L);
            m42.sub(m31).intoArray(tmp, (4 * A + s) * L);
            d1.fma(four, d5.sub(d3.mul(five))).intoArray(tmp, (5 * A + s) * L);
        }
        for (int k = 0; k < A; k++) {
            // Along the row k: V[k][l] = sum_s BT[l][s] t[k][s].
            int t = k * A * L;
            FloatVector d0 = FloatVector.fromArray(S, tmp, t);
            FloatVector d1 = FloatVector.fromArray(S, tmp, t + L);
            FloatVector d2 = FloatVector.fromArray(S, tmp, t + 2 * L);
            FloatVector d3 = FloatVector.fromArray(S, tmp, t + 3 * L);
            FloatVector d4 = FloatVector.fromArray(S, tmp, t + 4 * L);
            FloatVector d5 = FloatVector.fromArray(S, tmp, t + 5 * L);
            FloatVector p12 = d1.add(d2);
            FloatVector m12 = d1.sub(d2);
            FloatVector p34 = d3.add(d4);
            FloatVector m43 = d4.sub(d3);
            FloatVector m42 = d4.sub(d2);
            FloatVector m31 = d3.sub(d1).mul(two);
            int o = vOff + k * A * xiStride;
            d0.fma(four, d4.sub(d2.mul(five))).intoArray(v, o);
            p12.fma(minusFour, p34).intoArray(v, o + xiStride);
            m12.fma(four, m43).intoArray(v, o + 2 * xiStride);
            m42.add(m31).intoArray(v, o + 3 * xiStride);
            m42.sub(m31).intoArray(v, o + 4 * xiStride);
            d1.fma(four, d5.sub(d3.mul(five))).intoArray(v, o + 5 * xiStride);
        }
    }

    /**
     * {@code (A^T M A)[a][b]} for L channels of one tile, from {@code m[mOff + xi * mStride]}
     * (36 vectors), into {@code y[yOff + a * rowStride + b * pixStride]} (16 vectors).
     */
    static void output(float[] m, int mOff, int mStride, float[] tmp, float[] y, int yOff, int pixStride,
                       int rowStride) {
        FloatVector two = FloatVector.broadcast(S, 2f);
        FloatVector four = FloatVector.broadcast(S, 4f);
        FloatVector eight = FloatVector.broadcast(S, 8f);
        columns(m, mOff, mStride, tmp);
        for (int a = 0; a < 4; a++) {
            int t = a * A * L;
            FloatVector m0 = FloatVector.fromArray(S, tmp, t);
            FloatVector m1 = FloatVector.fromArray(S, tmp, t + L);
            FloatVector m2 = FloatVector.fromArray(S, tmp, t + 2 * L);
            FloatVector m3 = FloatVector.fromArray(S, tmp, t + 3 * L);
            FloatVector m4 = FloatVector.fromArray(S, tmp, t + 4 * L);
            FloatVector m5 = FloatVector.fromArray(S, tmp, t + 5 * L);
            FloatVector p12 = m1.add(m2);
            FloatVector d12 = m1.sub(m2);
            FloatVector p34 = m3.add(m4);
            FloatVector d34 = m3.sub(m4);
            int o = yOff + a * rowStride;
            m0.add(p12).add(p34).intoArray(y, o);
            d34.fma(two, d12).intoArray(y, o + pixStride);
            p34.fma(four, p12).intoArray(y, o + 2 * pixStride);
            d34.fma(eight, d12).add(m5).intoArray(y, o + 3 * pixStride);
        }
    }

    /**
     * {@link #output} with 2x2 max pooling at stride 2 inside the tile: {@code (A^T M A)} as
     * there, but its four rows are taken in pairs and only the maxima stored, pooled row
     * {@code i < rows} and column {@code j < cols} (each at most 2) into
     * {@code p[pOff + i * rowStride + j * pixStride]}: each row's pairs of columns, then the two
     * rows (maxima are exact, so the values are those of pooling the stored outputs).
     */
    static void outputPooled(float[] m, int mOff, int mStride, float[] tmp, float[] p, int pOff, int pixStride,
                             int rowStride, int rows, int cols) {
        FloatVector two = FloatVector.broadcast(S, 2f);
        FloatVector four = FloatVector.broadcast(S, 4f);
        FloatVector eight = FloatVector.broadcast(S, 8f);
        columns(m, mOff, mStride, tmp);
        for (int a = 0; a < 2 * rows; a++) {
            // Row a, then the maxima of its pairs of columns into tmp past the four rows (24 L ..).
            int t = a * A * L;
            FloatVector m0 = FloatVector.fromArray(S, tmp, t);
            FloatVector m1 = FloatVector.fromArray(S, tmp, t + L);
            FloatVector m2 = FloatVector.fromArray(S, tmp, t + 2 * L);
            FloatVector m3 = FloatVector.fromArray(S, tmp, t + 3 * L);
            FloatVector m4 = FloatVector.fromArray(S, tmp, t + 4 * L);
            FloatVector m5 = FloatVector.fromArray(S, tmp, t + 5 * L);
            FloatVector p12 = m1.add(m2);
            FloatVector d12 = m1.sub(m2);
            FloatVector p34 = m3.add(m4);
            FloatVector d34 = m3.sub(m4);
            int h = (4 * A + a % 2 * 2) * L;
            m0.add(p12).add(p34).max(d34.fma(two, d12)).intoArray(tmp, h);
            p34.fma(four, p12).max(d34.fma(eight, d12).add(m5)).intoArray(tmp, h + L);
            if (a % 2 == 1) {
                int o = pOff + a / 2 * rowStride;
                for (int j = 0; j < cols; j++) {
                    FloatVector top = FloatVector.fromArray(S, tmp, (4 * A + j) * L);
                    top.max(FloatVector.fromArray(S, tmp, (4 * A + 2 + j) * L)).intoArray(p, o + j * pixStride);
                }
            }
        }
    }

    /**
     * The first pass of {@link #output} and {@link #outputPooled}, down the columns of M:
     * {@code tmp[(a * A + l) L ..] = (A^T M)[a][l]} (24 vectors).
     */
    private static void columns(float[] m, int mOff, int mStride, float[] tmp) {
        FloatVector two = FloatVector.broadcast(S, 2f);
        FloatVector four = FloatVector.broadcast(S, 4f);
        FloatVector eight = FloatVector.broadcast(S, 8f);
        for (int l = 0; l < A; l++) {
            // Down the column l: u[a][l] = sum_k AT[a][k] M[k][l].
            FloatVector m0 = FloatVector.fromArray(S, m, mOff + l * mStride);
            FloatVector m1 = FloatVector.fromArray(S, m, mOff + (A + l) * mStride);
            FloatVector m2 = FloatVector.fromArray(S, m, mOff + (2 * A + l) * mStride);
            FloatVector m3 = FloatVector.fromArray(S, m, mOff + (3 * A + l) * mStride);
            FloatVector m4 = FloatVector.fromArray(S, m, mOff + (4 * A + l) * mStride);
            FloatVector m5 = FloatVector.fromArray(S, m, mOff + (5 * A + l) * mStride);
            FloatVector p12 = m1.add(m2);
            FloatVector d12 = m1.sub(m2);
            FloatVector p34 = m3.add(m4);
            FloatVector d34 = m3.sub(m4);
            m0.add(p12).add(p34).intoArray(tmp, l * L);
            d34.fma(two, d12).intoArray(tmp, (A + l) * L);
            p34.fma(four, p12).intoArray(tmp, (2 * A + l) * L);
            d34.fma(eight, d12).add(m5).intoArray(tmp, (3 * A + l) * L);
        }
    }

    /**
     * {@code z[zOff + xi * zStride] = (A dY A^T)[xi]} for L channels of one tile, where the
     * 4 x 4 block {@code dY[a][b]} is the vector at {@code in[inOff + a * rowStride + b * pixStride]}
     * (dy transposed: channels contiguous).
     */
    static void gradient(float[] in, int inOff, int pixStride, int rowStride, float[] z, int zOff, int zStride,
                         float[] tmp) {
        FloatVector two = FloatVector.broadcast(S, 2f);
        FloatVector four = FloatVector.broadcast(S, 4f);
        FloatVector eight = FloatVector.broadcast(S, 8f);
        for (int b = 0; b < 4; b++) {
            // Down the column b: t[k][b] = sum_a A[k][a] dY[a][b].
            int p = inOff + b * pixStride;
            FloatVector e0 = FloatVector.fromArray(S, in, p);
            FloatVector e1 = FloatVector.fromArray(S, in, p + rowStride);
            FloatVector e2 = FloatVector.fromArray(S, in, p + 2 * rowStride);
            FloatVector e3 = FloatVector.fromArray(S, in, p + 3 * rowStride);
            FloatVector p02 = e0.add(e2);
            FloatVector p13 = e1.add(e3);
            FloatVector q02 = e2.fma(four, e0);
            FloatVector q13 = e3.fma(four, e1).mul(two);
            e0.intoArray(tmp, b * L);
            p02.add(p13).intoArray(tmp, (4 + b) * L);
            p02.sub(p13).intoArray(tmp, (8 + b) * L);
            q02.add(q13).intoArray(tmp, (12 + b) * L);
            q02.sub(q13).intoArray(tmp, (16 + b) * L);
            e3.intoArray(tmp, (20 + b) * L);
        }
        for (int k = 0; k < A; k++) {
            int t = k * 4 * L;
            FloatVector e0 = FloatVector.fromArray(S, tmp, t);
            FloatVector e1 = FloatVector.fromArray(S, tmp, t + L);
            FloatVector e2 = FloatVector.fromArray(S, tmp, t + 2 * L);
            FloatVector e3 = FloatVector.fromArray(S, tmp, t + 3 * L);
            FloatVector p02 = e0.add(e2);
            FloatVector p13 = e1.add(e3);
            FloatVector q02 = e2.fma(four, e0);
            FloatVector q13 = e3.fma(four, e1).mul(two);
            int o = zOff + k * A * zStride;
            e0.intoArray(z, o);
            p02.add(p13).intoArray(z, o + zStride);
            p02.sub(p13).intoArray(z, o + 2 * zStride);
            q02.add(q13).intoArray(z, o + 3 * zStride);
            q02.sub(q13).intoArray(z, o + 4 * zStride);
            e3.intoArray(z, o + 5 * zStride);
        }
    }

    /**
     * {@code out[outOff + i * outStride] = (G k)[i]}, i < 6, for L columns of three kernel taps
     * {@code k[j] = in[inOff + j * inStride]}: the rows of {@code Winograd.G} with common terms
     * shared.
     */
    static void kernel(float[] in, int inOff, int inStride, float[] out, int outOff, int outStride) {
        FloatVector k0 = FloatVector.fromArray(S, in, inOff);
        FloatVector k1 = FloatVector.fromArray(S, in, inOff + inStride);
        FloatVector k2 = FloatVector.fromArray(S, in, inOff + 2 * inStride);
        FloatVector s = k0.add(k2).mul(-1 / 6f);
        FloatVector d = k1.mul(-1 / 6f);
        FloatVector e = k0.mul(1 / 24f).add(k2.mul(1 / 6f));
        FloatVector f = k1.mul(1 / 12f);
        k0.mul(1 / 4f).intoArray(out, outOff);
        s.add(d).intoArray(out, outOff + outStride);
        s.sub(d).intoArray(out, outOff + 2 * outStride);
        e.add(f).intoArray(out, outOff + 3 * outStride);
        e.sub(f).intoArray(out, outOff + 4 * outStride);
        k2.intoArray(out, outOff + 5 * outStride);
    }

    /**
     * G^T P G per lane: P the 6 x 6 vectors at {@code t[0 ..]}, G^T P at {@code t[36 L ..]}, the
     * 3 x 3 result at {@code t[54 L ..]}.
     */
    static void kernelGradients(float[] t) {
        for (int u = 0; u < R; u++) {
            for (int b = 0; b < 6; b++) {
                FloatVector s = FloatVector.zero(S);
                for (int a = 0; a < 6; a++) {
                    s = s.add(FloatVector.fromArray(S, t, (a * 6 + b) * L).mul(GT[u][a]));
                }
                s.intoArray(t, (XI + u * 6 + b) * L);
            }
        }
        for (int u = 0; u < R; u++) {
            for (int v = 0; v < R; v++) {
                FloatVector s = FloatVector.zero(S);
                for (int b = 0; b < 6; b++) {
                    s = s.add(FloatVector.fromArray(S, t, (XI + u * 6 + b) * L).mul(GT[v][b]));
                }
                s.intoArray(t, (XI + 18 + u * R + v) * L);
            }
        }
    }
}
