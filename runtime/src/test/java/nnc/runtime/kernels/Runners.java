package nnc.runtime.kernels;

import java.util.List;
import nnc.runtime.exec.Exec;

/**
 * Where the contract suite runs a kernel: each backend on one and on two threads, checked
 * against the reference, the scalar kernels on one thread. The backend and the thread count
 * vary independently, and both backends share the two execs, so a task one backend left in an
 * exec cannot stand in for the other's.
 */
final class Runners {
    private Runners() {
    }

    static final Kernels SIMD = new Kernels(Backend.simd());
    static final Kernels SCALAR = new Kernels(Backend.SCALAR);
    /** Shared by the contract test classes (its worker threads are daemons). */
    static final Exec ONE = Exec.sequential();
    static final Exec TWO = Exec.threads(2);

    /** A backend on an exec. */
    record Runner(String name, Kernels k, Exec ex) {
        @Override
        public String toString() {
            return name;
        }
    }

    /** What every other runner is compared with. */
    static final Runner REFERENCE = new Runner("scalar, 1 thread", SCALAR, ONE);

    /** The SIMD kernels first: a scalar runner after them on the same exec must still run scalar. */
    static final List<Runner> CANDIDATES = List.of(
            new Runner("simd, 1 thread", SIMD, ONE),
            new Runner("simd, 2 threads", SIMD, TWO),
            new Runner("scalar, 2 threads", SCALAR, TWO));
}
