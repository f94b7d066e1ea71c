package nnc.runtime.kernels;

import nnc.runtime.kernels.scalar.ScalarBatchNorm;
import nnc.runtime.kernels.scalar.ScalarDirectConv;
import nnc.runtime.kernels.scalar.ScalarPooling;
import nnc.runtime.kernels.simd.SimdBatchNorm;
import nnc.runtime.kernels.simd.SimdConv;
import nnc.runtime.kernels.simd.SimdDirectConv;
import nnc.runtime.kernels.simd.SimdDirectConvPool;
import nnc.runtime.kernels.simd.SimdElementwise;
import nnc.runtime.kernels.simd.SimdGemm;
import nnc.runtime.kernels.simd.SimdLosses;
import nnc.runtime.kernels.simd.SimdOptimizers;
import nnc.runtime.kernels.simd.SimdPooling;
import nnc.runtime.kernels.simd.SimdSparseGemm;
import nnc.runtime.kernels.simd.SimdWinograd;

/** Builds the SIMD backend once; only loaded once the Vector API is known to be present. */
final class SimdBackendFactory {
    private SimdBackendFactory() {
    }

    /** The one SIMD backend: tasks are keyed by backend, so every caller gets the same. */
    static final Backend SIMD = create();

    private static Backend create() {
        SimdGemm gemm = new SimdGemm();
        return new Backend("simd", gemm, new SimdSparseGemm(), new SimdElementwise(), new SimdLosses(), new SimdOptimizers(),
                new SimdConv(gemm), new SimdWinograd(), new SimdDirectConv(new ScalarDirectConv()),
                new SimdDirectConvPool(), new SimdPooling(new ScalarPooling()), new SimdBatchNorm(new ScalarBatchNorm()));
    }
}
