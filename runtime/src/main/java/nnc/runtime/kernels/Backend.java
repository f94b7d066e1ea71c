package nnc.runtime.kernels;

import nnc.runtime.kernels.scalar.ScalarBatchNorm;
import nnc.runtime.kernels.scalar.ScalarConv;
import nnc.runtime.kernels.scalar.ScalarDirectConv;
import nnc.runtime.kernels.scalar.ScalarDirectConvPool;
import nnc.runtime.kernels.scalar.ScalarElementwise;
import nnc.runtime.kernels.scalar.ScalarGemm;
import nnc.runtime.kernels.scalar.ScalarLosses;
import nnc.runtime.kernels.scalar.ScalarOptimizers;
import nnc.runtime.kernels.scalar.ScalarPooling;
import nnc.runtime.kernels.scalar.ScalarSparseGemm;
import nnc.runtime.kernels.scalar.ScalarWinograd;

/**
 * One implementation of every kernel family. Two exist: {@link #SCALAR}, the reference twins
 * in plain Java, and the SIMD backend on {@code jdk.incubator.vector}. The contract suite
 * runs the same tests on both.
 */
public record Backend(String name, Gemm gemm, SparseGemm sparse, Elementwise elementwise, Losses losses, Optimizers optimizers,
                      Convolution conv, Winograd winograd, DirectConv direct, DirectConvPool directPool,
                      Pooling pooling, BatchNormalization batchNorm) {

    public static final Backend SCALAR = new Backend("scalar", new ScalarGemm(), new ScalarSparseGemm(), new ScalarElementwise(),
            new ScalarLosses(), new ScalarOptimizers(), new ScalarConv(), new ScalarWinograd(), new ScalarDirectConv(),
            new ScalarDirectConvPool(), new ScalarPooling(),
            new ScalarBatchNorm());

    private static final String VECTOR_MODULE = "jdk.incubator.vector";

    /** True when the Vector API module is resolved in this JVM. */
    public static boolean vectorApiAvailable() {
        return ModuleLayer.boot().findModule(VECTOR_MODULE).isPresent();
    }

    /** The SIMD backend (one per JVM); fails when the Vector API module is missing. */
    public static Backend simd() {
        if (!vectorApiAvailable()) {
            throw new IllegalStateException("the Vector API is not available: run java with --add-modules "
                    + VECTOR_MODULE);
        }
        // A separate class, so nothing in this one links against the incubator module.
        return SimdBackendFactory.SIMD;
    }

    /**
     * The backend for this JVM: SIMD when the Vector API is available (or the scalar one when
     * the system property {@code nnc.backend=scalar} asks for it), otherwise the scalar one
     * with a single warning on standard error.
     */
    static Backend select() {
        String wanted = System.getProperty("nnc.backend", "auto");
        if (wanted.equals("scalar")) {
            return SCALAR;
        }
        if (vectorApiAvailable()) {
            return simd();
        }
        System.err.println("nnc: warning: the Vector API (" + VECTOR_MODULE + ") is not available; "
                + "using the scalar kernels, which are much slower. Run java with --add-modules "
                + VECTOR_MODULE + " to get the SIMD kernels.");
        return SCALAR;
    }

    /**
     * Channels per block of a tensor stored {@link ChannelLayout#BLOCKED} between two of this
     * backend's kernels: the Winograd kernel's (a power of two that divides
     * {@link ChannelLayout#BLOCK_MULTIPLE}; 1 is NCHW).
     */
    public int channelBlock() {
        return winograd.channelBlock();
    }
}
