package nnc.runtime.kernels;

/**
 * What every kernel facade stands on: the backend whose twins it runs. The facades
 * ({@link GemmKernels}, {@link SpatialKernels}, {@link ElementwiseKernels},
 * {@link LossKernels}, {@link OptimizerKernels}) split a kernel over an {@code Exec}'s threads
 * and keep their reusable tasks in {@code exec.TaskSlot}s keyed by this backend.
 */
public interface KernelFamily {
    /** The backend this facade runs. */
    Backend backendOf();
}
