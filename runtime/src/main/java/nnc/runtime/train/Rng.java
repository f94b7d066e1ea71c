package nnc.runtime.train;

import java.util.random.RandomGenerator;

/**
 * The random stream of shuffling and augmentation, with its whole state in one {@code long}
 * so a checkpoint can hold it: SplitMix64 (Steele, Lea and Flood), the generator behind
 * {@link java.util.SplittableRandom}. {@code new Rng(s)} draws exactly what
 * {@code new SplittableRandom(s)} draws ({@code RngTest} checks it), so introducing it changed
 * no training result; {@code nextInt(bound)}, {@code nextBoolean()} and the rest come from
 * {@link RandomGenerator}'s defaults on top of {@link #nextInt()} and {@link #nextLong()}.
 */
public final class Rng implements RandomGenerator {
    private static final long GAMMA = 0x9E3779B97F4A7C15L;
    private long state;

    public Rng(long seed) {
        this.state = seed;
    }

    /** The state to store; {@code new Rng(r.state())} continues where {@code r} is. */
    public long state() {
        return state;
    }

    @Override
    public long nextLong() {
        long z = state += GAMMA;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    @Override
    public int nextInt() {
        long z = state += GAMMA;
        z = (z ^ (z >>> 33)) * 0x62A9D9ED799705F5L;
        return (int) (((z ^ (z >>> 28)) * 0xCB24D0A5C88C35B3L) >>> 32);
    }
}
