package nnc.compiler.measure;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import nnc.compiler.TestModels;
import nnc.runtime.model.CompiledModel;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * One loaded model called from 8 threads at once, 10,000 predictions each (issue 10,
 * acceptance 3): every answer is bit-identical to the same call made serially, and after a
 * warm-up the JVM's per-thread allocation counters show nothing allocated per call but the
 * result array ({@code predict(raw)}), and nothing at all for the batched call into the
 * caller's buffer.
 */
@Tag("steady-state")
class ConcurrentPredictionTest {
    static final int THREADS = 8;
    static final int CALLS = 10_000;
    static final int SAMPLES = 64;
    /** A float[10]: 16 bytes of header and 40 of data. */
    static final long RESULT_BYTES = 56;
    /** Allowed on top, per thread: the counters' own granularity, a rare safepoint object. */
    static final long SLACK_BYTES = 16 * 1024;
    /** Warm-up windows: until C2 has compiled the kernels, the Vector API's fallback allocates. */
    static final int WINDOW = 1_000;
    static final int MAX_WINDOWS = 100;
    /** A thread that failed must not leave the others waiting for ever. */
    static final long BARRIER_MINUTES = 5;

    @Test
    void eightThreadsGetTheSerialAnswersAndAllocateOnlyTheirResults() throws Exception {
        CompiledModel model = TestModels.buildFile(TestModels.root().resolve("samples/mnist_mlp.nn"), true).newModel();
        model.initialize(3);
        float[][] inputs = new float[SAMPLES][784];
        SplittableRandom rng = new SplittableRandom(5);
        for (int s = 0; s < SAMPLES; s++) {
            // Odd samples look like digits (black but for a fifth of the pixels): the first
            // layer takes them in as sparse rows, from weights shared by every thread.
            float[] x = inputs[s];
            for (int i = 0; i < x.length; i++) {
                boolean black = s % 2 == 1 && (i == 0 || rng.nextDouble() < 0.8);
                x[i] = black ? 0 : rng.nextInt(256);
            }
        }
        float[][] serial = new float[SAMPLES][];
        for (int s = 0; s < SAMPLES; s++) {
            serial[s] = model.predict(inputs[s]);
        }

        float[] batchIn = new float[SAMPLES * 784];
        for (int s = 0; s < SAMPLES; s++) {
            System.arraycopy(inputs[s], 0, batchIn, s * 784, 784);
        }
        float[] batchSerial = new float[SAMPLES * 10];
        model.predict(batchIn, SAMPLES, batchSerial);
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        // Every thread warms both paths before any thread measures: a path first taken later
        // (the batched one) would deoptimise shared compiled code under the others' feet.
        CyclicBarrier together = new CyclicBarrier(THREADS);
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            List<Future<long[]>> results = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int first = t;
                results.add(pool.submit(() -> {
                    long id = Thread.currentThread().threadId();
                    float[] batchOut = new float[SAMPLES * 10];
                    long warm = warmUp(model, inputs, batchIn, batchOut, mx, id);
                    together.await(BARRIER_MINUTES, TimeUnit.MINUTES);
                    long before = mx.getThreadAllocatedBytes(id);
                    for (int i = 0; i < CALLS; i++) {
                        int s = (first + i) % SAMPLES;
                        float[] y = model.predict(inputs[s]);
                        if (!Arrays.equals(y, serial[s])) {
                            throw new AssertionError("thread " + first + ", call " + i + ": " + Arrays.toString(y)
                                    + " instead of " + Arrays.toString(serial[s]));
                        }
                    }
                    long single = mx.getThreadAllocatedBytes(id) - before;
                    together.await(BARRIER_MINUTES, TimeUnit.MINUTES);
                    before = mx.getThreadAllocatedBytes(id);
                    for (int i = 0; i < CALLS / SAMPLES; i++) {
                        model.predict(batchIn, SAMPLES, batchOut);
                    }
                    long batched = mx.getThreadAllocatedBytes(id) - before;
                    if (!Arrays.equals(batchOut, batchSerial)) {
                        throw new AssertionError("thread " + first + ": batched answers differ from the serial ones");
                    }
                    return new long[] {single, batched, warm};
                }));
            }
            for (Future<long[]> f : results) {
                long[] r = f.get();
                System.out.printf("predict(raw): %.1f bytes per call (result %d); batched: %d bytes in %d calls; "
                        + "after %d warm-up calls%n", r[0] / (double) CALLS, RESULT_BYTES, r[1], CALLS / SAMPLES, r[2]);
                assertTrue(r[0] <= CALLS * RESULT_BYTES + SLACK_BYTES, () -> r[0] + " bytes for " + CALLS
                        + " predictions (" + r[0] / (double) CALLS + " per call; the result is " + RESULT_BYTES
                        + ") after " + r[2] + " warm-up calls");
                assertTrue(r[1] <= SLACK_BYTES, () -> r[1] + " bytes for " + CALLS / SAMPLES + " batched calls");
            }
        } finally {
            pool.shutdown();
        }
        for (int s = 0; s < SAMPLES; s++) {
            assertArrayEquals(serial[s], Arrays.copyOfRange(batchSerial, s * 10, s * 10 + 10), 1e-6f,
                    "batched against single, sample " + s);
        }
    }

    /**
     * Calls both ways until a window of single calls allocates no more than its results and a
     * window of batched calls nothing (C2 has compiled the kernels); returns the calls made.
     */
    private static long warmUp(CompiledModel model, float[][] inputs, float[] batchIn, float[] batchOut,
                               com.sun.management.ThreadMXBean mx, long id) {
        for (int w = 0; w < MAX_WINDOWS; w++) {
            long before = mx.getThreadAllocatedBytes(id);
            for (int i = 0; i < WINDOW; i++) {
                model.predict(inputs[i % inputs.length]);
            }
            long single = mx.getThreadAllocatedBytes(id) - before;
            before = mx.getThreadAllocatedBytes(id);
            for (int i = 0; i < WINDOW / SAMPLES; i++) {
                model.predict(batchIn, SAMPLES, batchOut);
            }
            long batched = mx.getThreadAllocatedBytes(id) - before;
            if (single <= WINDOW * RESULT_BYTES + 1024 && batched <= 1024) {
                return (long) (w + 1) * WINDOW * 2;
            }
        }
        return (long) MAX_WINDOWS * WINDOW * 2;
    }

    @Test
    void wrongLengthsNameTheShapeAndACloseStopsPredictions() throws Exception {
        CompiledModel model = TestModels.buildFile(TestModels.root().resolve("samples/fashion_cnn.nn"), true).newModel();
        model.initialize(1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> model.predict(new float[784 - 1]));
        assertEquals("SimpleCnn takes one sample of shape [1, 28, 28] (784 values), got 783 values", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> model.predict(new float[784], 2, new float[20]));
        assertTrue(e.getMessage().contains("2 samples of shape [1, 28, 28] need 1568 input values, got 784"), e.getMessage());
        assertEquals(3, model.classify(new float[784]).top(3).size());
        assertEquals("Trouser", model.spec().serving().label(1));
        model.close();
        assertThrows(IllegalStateException.class, () -> model.predict(new float[784]));
    }
}
