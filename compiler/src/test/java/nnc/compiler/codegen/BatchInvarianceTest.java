package nnc.compiler.codegen;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import nnc.compiler.TestModels;
import nnc.runtime.exec.Exec;
import nnc.runtime.model.CompiledModel;
import nnc.runtime.model.Predictor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A sample's prediction does not depend on the batch it came in: alone, in a batch of 300
 * at any position, in pieces of odd sizes, or shared by two threads, every output has the
 * same bits, for dense rows and for sparse ones (mostly black images, which a first linear
 * layer takes in one by one) alike. Spark partitions, servers that batch requests and `nnc predict` on one image
 * all give the answer the typed API gives.
 */
class BatchInvarianceTest {
    private static final int ROWS = 300;

    @ParameterizedTest
    @ValueSource(strings = {"samples/mnist_mlp.nn", "samples/fashion_cnn.nn", "samples/embedding-app/src/main/nn/digits.nn"})
    void aSampleGetsTheSameBitsInAnyBatch(String sample) throws Exception {
        try (CompiledModel m = TestModels.buildFile(TestModels.root().resolve(sample), true).newModel()) {
            m.initialize(7);
            int in = m.spec().inputSize();
            int out = m.spec().outputSize();
            float[] raw = new float[ROWS * in];
            SplittableRandom r = new SplittableRandom(3);
            for (int i = 0; i < raw.length; i++) {
                // Odd rows look like digits: black but for a fifth of the pixels. An MLP's first
                // layer takes them in as sparse rows, the even rows (noise) densely.
                boolean digit = i / in % 2 == 1 && (i % in == 0 || r.nextDouble() < 0.8);
                raw[i] = digit ? 0f : (float) r.nextDouble(0, 255);
            }
            float[] whole = new float[ROWS * out];
            m.predict(raw, ROWS, whole);

            float[] alone = new float[out];
            for (int row : new int[] {0, 1, 127, 128, 129, 255, 256, ROWS - 1}) {
                float[] one = java.util.Arrays.copyOfRange(raw, row * in, (row + 1) * in);
                m.predict(one, 1, alone);
                assertSameBits(whole, row * out, alone, 0, out, sample + ": row " + row + " alone");
            }

            float[] pieces = new float[ROWS * out];
            Predictor p = m.newPredictor(Exec.sequential(), ROWS);
            for (int from = 0, size = 7; from < ROWS; from += size, size = size * 3 % 157 + 1) {
                int n = Math.min(size, ROWS - from);
                p.predict(raw, from * in, n, pieces, from * out);
            }
            assertSameBits(whole, 0, pieces, 0, ROWS * out, sample + ": in pieces of odd sizes");

            float[] shared = new float[ROWS * out];
            try (Exec two = Exec.threads(2)) {
                m.newPredictor(two, ROWS).predict(raw, 0, ROWS, shared, 0);
            }
            assertSameBits(whole, 0, shared, 0, ROWS * out, sample + ": on two threads");
        }
    }

    private static void assertSameBits(float[] expected, int eOff, float[] actual, int aOff, int n, String what) {
        for (int i = 0; i < n; i++) {
            assertEquals(Float.floatToIntBits(expected[eOff + i]), Float.floatToIntBits(actual[aOff + i]),
                    () -> what + ": output " + "differs from the batch of " + ROWS);
        }
    }
}
