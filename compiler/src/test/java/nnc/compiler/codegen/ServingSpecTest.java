package nnc.compiler.codegen;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.SplittableRandom;
import nnc.compiler.TestModels;
import nnc.runtime.data.Dataset;
import nnc.runtime.model.Serving;
import org.junit.jupiter.api.Test;

/**
 * The preprocessing compiled into a model reproduces the training data loader bit for bit:
 * raw pixels through {@link Serving#prepare} give exactly the floats
 * {@link Dataset#normalized} gives, per channel; and the image form and output kind follow the
 * data and the loss.
 */
class ServingSpecTest {
    static final String RGB = """
            model Rgb {
                input x: [3, 32, 32]
                x -> flatten -> linear(10)
            }
            data cifar = cifar("cifar10") | normalize(mean: [0.4914, 0.4822, 0.4465], std: [0.247, 0.2435, 0.2616])
            train Rgb on cifar {
                loss cross_entropy
                optimizer sgd(lr: 0.1)
            }
            """;

    @Test
    void rawPixelsReachTheNetworkWithTheBitsTrainingGaveThem() {
        Serving s = ServingSpec.of(TestModels.compile(RGB, true));
        int size = 3 * 32 * 32;
        byte[] pixels = new byte[2 * size];
        new SplittableRandom(1).nextBytes(pixels);
        Dataset d = Dataset.ofBytes("rgb", new int[] {3, 32, 32}, pixels, new float[2], 10)
                .normalized(new float[] {0.4914f, 0.4822f, 0.4465f}, new float[] {0.247f, 0.2435f, 0.2616f});
        float[] trained = new float[2 * size];
        d.copyBatch(null, 0, 2, trained, 0, new float[2], 0, false, null);
        float[] raw = new float[2 * size];
        for (int i = 0; i < raw.length; i++) {
            raw[i] = pixels[i] & 0xFF;
        }
        float[] served = new float[2 * size];
        s.prepare(raw, 0, served, 0, 2, size);
        assertArrayEquals(trained, served);
        assertEquals(new Serving.Image(3, 32, 32), s.image());
        assertEquals(Serving.Output.LOGITS, s.output());
        assertEquals("airplane", s.label(0));
    }

    @Test
    void csvModelsTakeNoImagesAndSigmoidModelsAreBinary() {
        Serving s = ServingSpec.of(TestModels.compile("""
                model M {
                    input x: [4]
                    x -> linear(1) -> sigmoid
                }
                data d = csv("d.csv", targets: 1)
                train M on d {
                    loss binary_cross_entropy
                    optimizer sgd(lr: 0.1)
                }
                """, true));
        assertNull(s.image());
        assertEquals(Serving.Output.BINARY, s.output());
        assertEquals("values as they are in the CSV file", s.description());
        assertArrayEquals(new float[] {1f}, s.scale());
    }
}
