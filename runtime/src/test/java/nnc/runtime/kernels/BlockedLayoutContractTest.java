package nnc.runtime.kernels;

import static nnc.runtime.kernels.KernelContractTest.random;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import nnc.runtime.exec.Workspace;
import nnc.runtime.kernels.Runners.Runner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A tensor stored channel-blocked ({@link ChannelLayout#BLOCKED}) between a direct
 * convolution with pooling (the producer) and a Winograd one with pooling (the consumer), as
 * the compiler's {@code BlockChannels} pass arranges: the pair gives exactly the bits of the
 * pair in NCHW, on every backend and thread count, alone and in a batch; the producer's
 * blocked output holds exactly the scalar twin's values; and each kernel honours any block
 * that divides its channels, not only its backend's, on every path (one input channel or
 * several, planes under a vector).
 */
class BlockedLayoutContractTest {
    /** A producer and the consumer of its pooled output. */
    record Pair(ConvGeom first, ConvGeom second) {
        PoolGeom pool1() {
            return pool(first);
        }

        PoolGeom pool2() {
            return pool(second);
        }

        static PoolGeom pool(ConvGeom g) {
            return new PoolGeom(g.o(), g.oh(), g.ow(), 2, 2, 2, 2, 0, 0, g.oh() / 2, g.ow() / 2);
        }

        @Override
        public String toString() {
            return first + " -> " + second;
        }
    }

    static Stream<Pair> pairs() {
        return Stream.of(
                // the tutorial's CNN: 28x28 -> [32, 13, 13] -> [64, 5, 5]
                new Pair(new ConvGeom(1, 28, 28, 32, 3, 3, 1, 1, 0, 0, 26, 26),
                        new ConvGeom(32, 13, 13, 64, 3, 3, 1, 1, 0, 0, 11, 11)),
                // an 11 x 11 plane, 16 channels, a padded consumer
                new Pair(new ConvGeom(1, 24, 24, 16, 3, 3, 1, 1, 0, 0, 22, 22),
                        new ConvGeom(16, 11, 11, 32, 3, 3, 1, 1, 1, 1, 11, 11)),
                // three input channels: the producer's general path
                new Pair(new ConvGeom(3, 14, 14, 16, 3, 3, 1, 1, 1, 1, 14, 14),
                        new ConvGeom(16, 7, 7, 16, 3, 3, 1, 1, 1, 1, 7, 7)),
                // a pooled plane under a vector (2 x 2)
                new Pair(new ConvGeom(1, 6, 6, 32, 3, 3, 1, 1, 0, 0, 4, 4),
                        new ConvGeom(32, 2, 2, 16, 3, 3, 1, 1, 1, 1, 2, 2)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("pairs")
    void theBlockedPairGivesTheBitsOfTheNchwPairAndTheScalarKernels(Pair c) {
        for (int n : new int[] {1, 4}) {
            float[] x = random(n * c.first().inSize(), 11);
            float[] w1 = random(c.first().weightSize(), 12);
            float[] b1 = random(c.first().o(), 13);
            float[] w2 = random(c.second().weightSize(), 14);
            float[] b2 = random(c.second().o(), 15);
            float[] scalarMid = new float[n * c.pool1().outSize()];
            Runners.SCALAR.conv2dMaxPool(Runners.ONE, c.first(), ConvAlgorithm.DIRECT, c.pool1(), true, n, x, 0, w1, 0,
                    b1, 0, scalarMid, 0, Epilogue.NONE);
            List<Runner> runners = new ArrayList<>(Runners.CANDIDATES);
            runners.add(Runners.REFERENCE);
            for (Runner r : runners) {
                String what = "n " + n + ", " + c + ", " + r;
                float[] mid = new float[scalarMid.length];
                float[] out = new float[n * c.pool2().outSize()];
                run(r, c, ChannelLayout.NCHW, n, x, w1, b1, mid, w2, b2, out);
                float[] blockedMid = new float[mid.length];
                float[] blockedOut = new float[out.length];
                run(r, c, ChannelLayout.BLOCKED, n, x, w1, b1, blockedMid, w2, b2, blockedOut);
                assertSameBits(out, blockedOut, "the consumer's output, " + what);
                int block = r.k().backendOf().channelBlock();
                assertSameBits(blocked(scalarMid, c.pool1(), n, block), blockedMid,
                        "the producer's output blocked by " + block + " against the scalar twin's, " + what);
                for (int s = 0; s < n; s++) {
                    float[] one = new float[c.pool2().outSize()];
                    run(r, c, ChannelLayout.BLOCKED, 1, Arrays.copyOfRange(x, s * c.first().inSize(), x.length), w1, b1,
                            new float[c.pool1().outSize()], w2, b2, one);
                    assertSameBits(Arrays.copyOfRange(out, s * one.length, (s + 1) * one.length), one,
                            "sample " + s + " alone, " + what);
                }
            }
        }
    }

    /** Each kernel of each backend, called directly with blocks other than its backend's. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("pairs")
    void everyKernelHonoursAnyBlockThatDividesItsChannels(Pair c) {
        int n = 2;
        float[] x = random(n * c.first().inSize(), 21);
        float[] w1 = random(c.first().weightSize(), 22);
        float[] b1 = random(c.first().o(), 23);
        float[] w2 = random(c.second().weightSize(), 24);
        float[] b2 = random(c.second().o(), 25);
        for (Backend backend : List.of(Backend.simd(), Backend.SCALAR)) {
            Workspace ws = new Workspace();
            float[] mid = new float[n * c.pool1().outSize()];
            backend.directPool().forward(ws, c.first(), c.pool1(), true, 0, n, x, 0, w1, 0, b1, 0, mid, 0, 1,
                    Epilogue.NONE);
            Winograd wino = backend.winograd();
            float[] u = new float[wino.weightsSize(c.second())];
            int groups = (c.second().o() + wino.weightGroup() - 1) / wino.weightGroup();
            wino.transformWeights(ws, c.second(), false, 0, groups * wino.weightGroup(), w2, 0, u);
            float[] out = new float[n * c.pool2().outSize()];
            wino.forwardPooled(ws, c.second(), c.pool2(), true, 0, n, mid, 0, 1, u, b2, 0, out, 0, Epilogue.NONE);
            for (int block : new int[] {2, 8, 16}) {
                String what = "block " + block + ", " + c + ", " + backend.name();
                float[] m = new float[mid.length];
                backend.directPool().forward(ws, c.first(), c.pool1(), true, 0, n, x, 0, w1, 0, b1, 0, m, 0, block,
                        Epilogue.NONE);
                assertSameBits(blocked(mid, c.pool1(), n, block), m, "the producer, " + what);
                float[] o = new float[out.length];
                wino.forwardPooled(ws, c.second(), c.pool2(), true, 0, n, m, 0, block, u, b2, 0, o, 0, Epilogue.NONE);
                assertSameBits(out, o, "the consumer, " + what);
            }
        }
    }

    /** On every backend, whatever its block: these are the caller's mistakes. */
    @Test
    void aBlockedLayoutIsRefusedWhereNoKernelHonoursIt() {
        Pair c = pairs().findFirst().orElseThrow();
        float[] x = new float[c.first().inSize()];
        float[] y = new float[c.pool1().outSize()];
        Kernels k = Runners.SIMD;
        float[] more = new float[c.first().o()];
        Epilogue epi = k.epilogue(0).bias(more, 0, c.pool1().oh() * c.pool1().ow(), c.first().o()).build();
        assertThrows(IllegalArgumentException.class, () -> k.conv2dMaxPool(Runners.ONE, c.first(),
                ConvAlgorithm.DIRECT, c.pool1(), true, ChannelLayout.BLOCKED, ChannelLayout.NCHW, 1, x, 0,
                new float[c.first().weightSize()], 0, more, 0, y, 0, Epilogue.NONE), "a direct one reading blocked");
        assertThrows(IllegalArgumentException.class, () -> k.conv2dMaxPool(Runners.ONE, c.first(),
                ConvAlgorithm.DIRECT, c.pool1(), true, ChannelLayout.NCHW, ChannelLayout.BLOCKED, 1, x, 0,
                new float[c.first().weightSize()], 0, more, 0, y, 0, epi), "a blocked output with an epilogue");
        assertThrows(IllegalArgumentException.class, () -> k.conv2dMaxPool(Runners.ONE, c.second(),
                ConvAlgorithm.WINOGRAD, c.pool2(), true, ChannelLayout.NCHW, ChannelLayout.BLOCKED, 1, y, 0,
                new float[c.second().weightSize()], 0, new float[c.second().o()], 0, new float[c.pool2().outSize()], 0,
                Epilogue.NONE), "a Winograd one writing blocked");
    }

    @Test
    void anIndexOfTheBlockedLayoutIsWhereTheConversionPutsTheValue() {
        float[] nchw = random(48 * 5, 31);
        float[] b = new float[nchw.length];
        ChannelLayout.toBlocked(nchw, 0, b, 0, 48, 5, 16);
        assertEquals(nchw[17 * 5 + 3], b[(5 + 3) * 16 + 1], "channel 17 of pixel 3: block 1, pixel 3, lane 1");
        float[] back = new float[nchw.length];
        ChannelLayout.fromBlocked(b, 0, back, 0, 48, 5, 16);
        assertSameBits(nchw, back, "there and back");
    }

    /** The producer then the consumer, the tensor between them in {@code mid} in layout {@code l}. */
    private static void run(Runner r, Pair c, ChannelLayout l, int n, float[] x, float[] w1, float[] b1, float[] mid,
                            float[] w2, float[] b2, float[] out) {
        r.k().conv2dMaxPool(r.ex(), c.first(), ConvAlgorithm.DIRECT, c.pool1(), true, ChannelLayout.NCHW, l, n, x, 0,
                w1, 0, b1, 0, mid, 0, Epilogue.NONE);
        r.k().conv2dMaxPool(r.ex(), c.second(), ConvAlgorithm.WINOGRAD, c.pool2(), true, l, ChannelLayout.NCHW, n, mid,
                0, w2, 0, b2, 0, out, 0, Epilogue.NONE);
    }

    /** {@code n} NCHW samples of {@code pool}'s output, blocked by {@code block}. */
    private static float[] blocked(float[] nchw, PoolGeom pool, int n, int block) {
        float[] b = new float[nchw.length];
        for (int s = 0; s < n; s++) {
            ChannelLayout.toBlocked(nchw, s * pool.outSize(), b, s * pool.outSize(), pool.c(), pool.oh() * pool.ow(),
                    block);
        }
        return b;
    }

    private static void assertSameBits(float[] expected, float[] actual, String what) {
        assertEquals(expected.length, actual.length, what + ": length");
        for (int i = 0; i < expected.length; i++) {
            if (Float.floatToRawIntBits(expected[i]) != Float.floatToRawIntBits(actual[i])) {
                assertEquals(expected[i], actual[i], what + " at " + i);
                assertEquals(Float.floatToRawIntBits(expected[i]), Float.floatToRawIntBits(actual[i]),
                        what + ": the sign of zero at " + i);
            }
        }
    }
}
