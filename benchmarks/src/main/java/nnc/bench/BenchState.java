package nnc.bench;

import java.util.SplittableRandom;
import nnc.runtime.exec.Exec;

/** Shared helpers: random operands and a thread pool per benchmark trial. */
final class BenchState {
    private BenchState() {
    }

    static float[] random(int size, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[] a = new float[size];
        for (int i = 0; i < size; i++) {
            a[i] = (float) rng.nextDouble(-1, 1);
        }
        return a;
    }

    static Exec exec(int threads) {
        return threads == 1 ? Exec.sequential() : Exec.threads(threads);
    }
}
