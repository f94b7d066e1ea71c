package nnc.runtime.kernels;

/** Convolution, pooling and normalisation kernels on NCHW tensors. */
public interface Spatial {
}
