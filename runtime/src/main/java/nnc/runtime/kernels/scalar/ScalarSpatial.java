package nnc.runtime.kernels.scalar;

import nnc.runtime.kernels.Spatial;

/** Reference convolution, pooling and normalisation: direct loops. */
public final class ScalarSpatial implements Spatial {
}
