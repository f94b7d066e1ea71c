package nnc.runtime.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** One-hot target rows become class indices for cross-entropy; anything else is refused by sample. */
class OneHotTest {
    private static Dataset rows(float... targets) {
        int n = targets.length / 3;
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = i;
        }
        return Dataset.ofFloats("t", new int[] {1}, x, targets, 3, 0);
    }

    @Test
    void eachRowBecomesTheColumnOfItsOne() {
        Dataset d = rows(0, 1, 0, 1, 0, 0, 0, 0, 1, 0, 1, 0).oneHotAsClassIndices();
        assertEquals(1, d.targetSize());
        assertEquals(3, d.classes());
        float[] x = new float[4];
        float[] t = new float[4];
        d.copyBatch(null, 0, 4, x, 0, t, 0, false, null);
        assertArrayEquals(new float[] {1, 0, 2, 1}, t);
        assertArrayEquals(new float[] {0, 1, 2, 3}, x, "the samples are untouched");
    }

    @Test
    void aSliceKeepsItsSamples() {
        Dataset d = rows(0, 1, 0, 1, 0, 0, 0, 0, 1).slice(1, 3).oneHotAsClassIndices();
        float[] t = new float[2];
        d.copyBatch(null, 0, 2, new float[2], 0, t, 0, false, null);
        assertArrayEquals(new float[] {0, 2}, t);
    }

    @Test
    void softOrEmptyRowsAreRefusedBySample() {
        IllegalArgumentException soft = assertThrows(IllegalArgumentException.class,
                () -> rows(0, 1, 0, 0.5f, 0.5f, 0).oneHotAsClassIndices());
        assertTrue(soft.getMessage().startsWith("sample 2 has targets [0.5, 0.5, 0.0]"), soft.getMessage());
        assertThrows(IllegalArgumentException.class, () -> rows(0, 0, 0).oneHotAsClassIndices());
        assertThrows(IllegalArgumentException.class, () -> rows(1, 1, 0).oneHotAsClassIndices());
    }
}
