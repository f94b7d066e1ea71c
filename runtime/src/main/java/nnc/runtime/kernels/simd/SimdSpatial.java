package nnc.runtime.kernels.simd;

import nnc.runtime.kernels.Spatial;

/** Convolution (im2col + GEMM), pooling and normalisation on the Vector API. */
public final class SimdSpatial implements Spatial {
    private final SimdGemm gemm;

    public SimdSpatial(SimdGemm gemm) {
        this.gemm = gemm;
    }
}
