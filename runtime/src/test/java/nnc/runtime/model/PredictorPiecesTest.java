package nnc.runtime.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** How a batch is cut for several threads: every sample once, chunks that fit an arena, even shares. */
class PredictorPiecesTest {
    @Test
    void chunksCoverTheBatchFitTheArenaAndShareEvenly() {
        for (int threads = 2; threads <= 4; threads++) {
            for (int capacity = 1; capacity <= 40; capacity++) {
                for (int n = 1; n <= 300; n++) {
                    int pieces = Predictor.pieces(n, capacity, threads);
                    String what = "n=" + n + " capacity=" + capacity + " threads=" + threads;
                    assertTrue(pieces % threads == 0 || pieces == n, what + ": " + pieces + " chunks");
                    assertTrue(pieces < (n + capacity - 1) / capacity + threads, what + ": " + pieces + " chunks");
                    assertEquals(0, Predictor.start(0, n, pieces), what);
                    assertEquals(n, Predictor.start(pieces, n, pieces), what);
                    int smallest = n, largest = 0;
                    for (int i = 0; i < pieces; i++) {
                        int size = Predictor.start(i + 1, n, pieces) - Predictor.start(i, n, pieces);
                        smallest = Math.min(smallest, size);
                        largest = Math.max(largest, size);
                    }
                    assertTrue(smallest >= 1 && largest <= capacity && largest - smallest <= 1,
                            what + ": chunks of " + smallest + " to " + largest);
                }
            }
        }
    }

    @Test
    void theTutorialCnnBatchOnTwoThreadsIsTwentyChunksOfThirteenOrLess() {
        assertEquals(20, Predictor.pieces(256, 14, 2));
        assertEquals(2, Predictor.pieces(10, 14, 2));
        assertEquals(1, Predictor.pieces(1, 14, 2));
    }
}
