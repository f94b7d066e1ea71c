package nnc.runtime.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Rng draws what SplittableRandom draws (so it changed no result), and continues from its state. */
class RngTest {
    @Test
    void drawsTheSameAsSplittableRandom() {
        for (long seed : new long[] {0, 1, 42, -7, 0x5DEECE66DL ^ 42}) {
            SplittableRandom ref = new SplittableRandom(seed);
            Rng rng = new Rng(seed);
            for (int i = 0; i < 2000; i++) {
                int bound = 1 + (i * 7919) % 60000;
                assertEquals(ref.nextInt(bound), rng.nextInt(bound), "nextInt(" + bound + "), seed " + seed);
                assertEquals(ref.nextBoolean(), rng.nextBoolean());
                assertEquals(ref.nextLong(), rng.nextLong());
                assertEquals(ref.nextDouble(), rng.nextDouble());
                assertEquals(ref.nextInt(), rng.nextInt());
            }
        }
    }

    @Test
    void continuesFromItsState() {
        Rng a = new Rng(9);
        for (int i = 0; i < 100; i++) {
            a.nextInt(37);
        }
        Rng b = new Rng(a.state());
        for (int i = 0; i < 100; i++) {
            assertEquals(a.nextInt(1000), b.nextInt(1000));
        }
    }
}
