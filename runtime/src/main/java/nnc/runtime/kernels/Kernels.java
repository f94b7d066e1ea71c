package nnc.runtime.kernels;

/**
 * What generated code calls ({@code K.gemm(...)}, {@code K.conv2d(...)}, {@code K.adam(...)}):
 * the five kernel facades on one backend. Each family is its own interface, in the order data
 * flows through a training step:
 *
 * <ul>
 *   <li>{@link GemmKernels}: matrix products (linear layers, their gradients);</li>
 *   <li>{@link SpatialKernels}: convolution, pooling, batch norm;</li>
 *   <li>{@link ElementwiseKernels}: pointwise chains, column sums, block copies;</li>
 *   <li>{@link LossKernels}: losses and softmax;</li>
 *   <li>{@link OptimizerKernels}: parameter updates.</li>
 * </ul>
 *
 * Each facade splits a kernel over an {@code Exec}'s threads in a fixed partition and runs the
 * backend's twin on each piece; its reusable task objects live in {@code exec.TaskSlot}s keyed
 * by the backend, so a call allocates nothing and two backends on one exec never share a task.
 */
public final class Kernels implements GemmKernels, SpatialKernels, ElementwiseKernels, LossKernels, OptimizerKernels {
    private static final Kernels ACTIVE = new Kernels(Backend.select());

    private final Backend backend;

    public Kernels(Backend backend) {
        this.backend = backend;
    }

    /** The kernels of this JVM's backend (SIMD, or scalar without the Vector API). */
    public static Kernels active() {
        return ACTIVE;
    }

    /** This JVM's backend. */
    public static Backend backend() {
        return ACTIVE.backend;
    }

    @Override
    public Backend backendOf() {
        return backend;
    }
}
