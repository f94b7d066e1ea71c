package nnc.compiler.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import nnc.compiler.TestModels;
import nnc.compiler.data.CifarFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every sample compiles, trains one epoch on a slice of its data and evaluates. */
class SamplesTest {
    @TempDir
    static Path tmp;

    static Stream<String> samples() throws IOException {
        try (Stream<Path> s = Files.list(TestModels.root().resolve("samples"))) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".nn")).sorted().toList().stream();
        }
    }

    /** CIFAR-10's binary layout ({@link CifarFixture}): the format, not the data, is under test here. */
    static Path fakeCifar() throws IOException {
        Path dir = tmp.resolve("datasets/cifar10");
        if (!Files.exists(dir.resolve("test_batch.bin"))) {
            CifarFixture.write(dir, 40);
        }
        return dir.getParent();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samples")
    void trainsOneEpochAndEvaluates(String sample) throws IOException {
        Path out = tmp.resolve(sample);
        CliRun r = CliRun.of("train", TestModels.root().resolve("samples").resolve(sample).toString(), "--epochs", "1",
                "--limit", "600", "--out", out.toString(), "--data", fakeCifar().toString());
        assertEquals(0, r.exit(), r::toString);
        String[] lines = r.out().strip().split("\n");
        String last = lines[lines.length - 1];
        assertTrue(last.matches("test: loss=\\d+\\.\\d{4} accuracy=(0\\.\\d{4}|1\\.0000|nan)"), r::toString);
        assertTrue(r.err().contains("epoch 1/1  train_loss"), r::toString);
        assertTrue(Files.size(out.resolve("metrics.csv")) > 0);
    }

    @Test
    void thePerceptronComputesTheTutorialsWorkedExample() {
        CliRun r = CliRun.of("predict", TestModels.root().resolve("samples/perceptron.nn").toString(),
                "--input", "0.5,0.8,0.2", "--weights", "none.nnw");
        assertEquals(1, r.exit(), "a missing weights file is an input error: " + r);
        r = CliRun.of("predict", TestModels.root().resolve("samples/perceptron.nn").toString(), "--input", "0.5,0.8,0.2");
        assertEquals(0, r.exit(), r::toString);
        assertEquals("0.01", r.out().strip());
    }

    @Test
    void trainingThePerceptronOnItsOwnOutputsKeepsTheLossAtZero() {
        CliRun r = CliRun.of("train", TestModels.root().resolve("samples/perceptron.nn").toString(), "--out",
                tmp.resolve("p").toString());
        assertEquals(0, r.exit(), r::toString);
        assertTrue(r.out().strip().endsWith("test: loss=0.0000 accuracy=nan"), r::toString);
    }

    @Test
    void summaryOfTheSimpleCnn() {
        CliRun r = CliRun.of("summary", TestModels.root().resolve("samples/fashion_cnn.nn").toString());
        assertEquals(0, r.exit(), r::toString);
        for (String shape : new String[] {"[32, 26, 26]", "[32, 13, 13]", "[64, 11, 11]", "[64, 5, 5]", "[1600]", "[128]",
            "[10]"}) {
            assertTrue(r.out().contains(shape), shape + " in\n" + r.out());
        }
        assertTrue(r.out().contains("Total params: 225,034\n"), r::toString);
    }

    @Test
    void summaryExpandsBlocksWithTheirPathAndCountsStateAsNotTrainable() {
        CliRun r = CliRun.of("summary", TestModels.root().resolve("samples/fashion_cnn_bn.nn").toString());
        assertEquals(0, r.exit(), r::toString);
        assertTrue(r.out().contains("ConvBn_1/conv2d_1 (conv2d)"), r::toString);
        assertTrue(r.out().contains("ConvBn_3/batchnorm_3 (batchnorm)"), r::toString);
        assertTrue(r.out().matches("(?s).*Non-trainable params: [1-9][0-9,]*\n.*"), r::toString);
    }
}
