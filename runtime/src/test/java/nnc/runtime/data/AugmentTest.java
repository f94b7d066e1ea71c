package nnc.runtime.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Crops and flips, on [C, H, W] samples and on the [H, W] samples IDX files give (MNIST and
 * Fashion-MNIST), which are one channel: both must change the image, and change it alike.
 */
class AugmentTest {
    /** A 3 x 4 image, 1 to 12 row by row. */
    private static float[] image() {
        float[] x = new float[12];
        for (int i = 0; i < 12; i++) {
            x[i] = i + 1;
        }
        return x;
    }

    private static final float[] MIRRORED = {4, 3, 2, 1, 8, 7, 6, 5, 12, 11, 10, 9};

    @Test
    void aFlipMirrorsEachRowOfAnIdxImageAboutHalfTheTime() {
        SplittableRandom rng = new SplittableRandom(1);
        int flipped = 0;
        for (int i = 0; i < 200; i++) {
            float[] x = image();
            new Augment(0, true).apply(x, 0, new int[] {3, 4}, rng);
            if (x[0] == 4) {
                assertArrayEquals(MIRRORED, x);
                flipped++;
            } else {
                assertArrayEquals(image(), x);
            }
        }
        assertTrue(flipped > 70 && flipped < 130, flipped + " of 200 flipped");
    }

    @Test
    void aCropShiftsAnIdxImageAndFillsWithZeros() {
        SplittableRandom rng = new SplittableRandom(2);
        Set<List<Float>> seen = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            float[] x = image();
            new Augment(1, false).apply(x, 0, new int[] {3, 4}, rng);
            seen.add(boxed(x));
        }
        assertEquals(9, seen.size(), "every shift of -1, 0, 1 in each direction: " + seen);
        float[] x = image();
        assertTrue(seen.contains(boxed(x)), "no shift leaves the image as it was");
        assertTrue(seen.contains(List.of(0f, 0f, 0f, 0f, 0f, 1f, 2f, 3f, 0f, 5f, 6f, 7f)), "down and right");
        assertTrue(seen.contains(List.of(6f, 7f, 8f, 0f, 10f, 11f, 12f, 0f, 0f, 0f, 0f, 0f)), "up and left");
        assertTrue(seen.contains(List.of(2f, 3f, 4f, 0f, 6f, 7f, 8f, 0f, 10f, 11f, 12f, 0f)), "left");
        assertTrue(seen.contains(List.of(0f, 5f, 6f, 7f, 0f, 9f, 10f, 11f, 0f, 0f, 0f, 0f)), "up and right");
    }

    @Test
    void anIdxImageIsAugmentedAsOneChannel() {
        for (Augment a : List.of(new Augment(2, true), new Augment(1, false), new Augment(0, true))) {
            SplittableRandom r2 = new SplittableRandom(3);
            SplittableRandom r3 = new SplittableRandom(3);
            for (int i = 0; i < 50; i++) {
                float[] flat = image();
                float[] chw = image();
                a.apply(flat, 0, new int[] {3, 4}, r2);
                a.apply(chw, 0, new int[] {1, 3, 4}, r3);
                assertArrayEquals(chw, flat, a.toString());
            }
        }
    }

    @Test
    void theDatasetAugmentsTrainingBatchesOfIdxImages() {
        byte[] pixels = new byte[2 * 12];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (byte) (i % 12 + 1);
        }
        Dataset d = Dataset.ofBytes("t", new int[] {3, 4}, pixels, new float[] {0, 1}, 2)
                .augmented(new Augment(0, true));
        SplittableRandom rng = new SplittableRandom(4);
        float[] x = new float[24];
        boolean changed = false;
        for (int i = 0; i < 20 && !changed; i++) {
            d.copyBatch(null, 0, 2, x, 0, new float[2], 0, true, rng);
            changed = x[0] != 1 / 255f || x[12] != 1 / 255f;
        }
        assertTrue(changed, "twenty batches of two and no image was flipped");
        d.copyBatch(null, 0, 2, x, 0, new float[2], 0, false, rng);
        assertEquals(1 / 255f, x[0], "evaluation batches are not augmented");
    }

    private static List<Float> boxed(float[] x) {
        List<Float> l = new java.util.ArrayList<>();
        for (float v : x) {
            l.add(v);
        }
        return l;
    }
}
