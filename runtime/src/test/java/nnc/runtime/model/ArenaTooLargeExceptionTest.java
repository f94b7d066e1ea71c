package nnc.runtime.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** An arena is per-sample floats times the batch plus a fixed part, in long arithmetic, within one array. */
class ArenaTooLargeExceptionTest {
    @Test
    void theArenaFitsOrTheLargestBatchIsNamed() {
        assertEquals(1_000 * 64 + 10, ArenaTooLargeException.arenaFloats("training", 1_000, 64, 10));
        var e = assertThrows(ArenaTooLargeException.class,
                () -> ArenaTooLargeException.arenaFloats("training", 1_039_152, 8_192, 0));
        assertEquals(2_066, e.largest());
        assertEquals("the training arena for a batch of 8,192 needs 8,512,733,184 floats (1,039,152 a sample), more than "
                + "one Java array holds (2,147,483,639); the largest batch that fits is 2,066", e.getMessage());
        var none = assertThrows(ArenaTooLargeException.class,
                () -> ArenaTooLargeException.arenaFloats("inference", Integer.MAX_VALUE - 8, 2, 100));
        assertEquals(0, none.largest());
        // at the edge: exactly what an array holds
        assertEquals(Integer.MAX_VALUE - 8, ArenaTooLargeException.arenaFloats("inference", 1, Integer.MAX_VALUE - 18, 10));
    }
}
