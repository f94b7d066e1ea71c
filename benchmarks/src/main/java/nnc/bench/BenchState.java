package nnc.bench;

import nnc.runtime.bench.Operands;
import nnc.runtime.exec.Exec;

/** Shared helpers: random operands and a thread pool per benchmark trial. */
final class BenchState {
    private BenchState() {
    }

    static float[] random(int size, long seed) {
        return Operands.random(size, seed);
    }

    static Exec exec(int threads) {
        return threads == 1 ? Exec.sequential() : Exec.threads(threads);
    }
}
