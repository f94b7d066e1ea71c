package nnc.compiler.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What {@code nnc predict} prints for several --input samples, --top on a regression, and outputs that overflow. */
class PredictOutputTest {
    @TempDir
    Path tmp;

    /** The tutorial's perceptron with its weights in the file: (0.5, 0.8, 0.2) gives 0.01, (1, 1, 1) gives 0.7. */
    static final String PERCEPTRON = """
            model Perceptron {
                input x: [3]
                x -> linear(1, weight: [[0.3, -0.5, 0.8]], bias: [0.1])
            }
            data d = csv("d.csv", targets: 1, test: 0.5)
            train Perceptron on d {
                loss mse
                optimizer sgd(lr: 0.01)
                batch 1
                epochs 1
            }
            """;

    private String model() throws IOException {
        Path f = tmp.resolve("perceptron.nn");
        Files.writeString(f, PERCEPTRON);
        return f.toString();
    }

    @Test
    void eachInputIsASampleOfItsOwn() throws IOException {
        String nn = model();
        CliRun one = CliRun.of("predict", nn, "--input", "0.5,0.8,0.2");
        assertEquals(0, one.exit(), one::toString);
        assertEquals("0.01", one.out().strip(), one::toString);

        CliRun two = CliRun.of("predict", nn, "--input", "0.5,0.8,0.2", "--input", "1,1,1");
        assertEquals(0, two.exit(), two::toString);
        assertEquals(List.of("input 1: 0.01", "input 2: 0.7"), two.out().strip().lines().toList(), two::toString);

        CliRun json = CliRun.of("predict", nn, "--input", "0.5,0.8,0.2", "--input", "1,1,1", "--format", "json");
        assertEquals(0, json.exit(), json::toString);
        assertTrue(json.out().contains("{\"input\": \"input 2\", \"outputs\": [0.7"), json::toString);

        CliRun bad = CliRun.of("predict", nn, "--input", "1,2,3", "--input", "1,2");
        assertEquals(1, bad.exit(), bad::toString);
        assertTrue(bad.err().contains("nnc: --input 2: 2 values, but Perceptron takes 3"), bad::toString);
        assertFalse(bad.hasStackTrace(), bad::toString);
    }

    @Test
    void topOnARegressionIsRefused() throws IOException {
        CliRun r = CliRun.of("predict", model(), "--input", "1,1,1", "--top", "2");
        assertEquals(2, r.exit(), r::toString);
        assertTrue(r.err().contains("nnc predict: --top ranks classes, and Perceptron is not a classifier (it prints "
                + "its 1 output); leave --top out"), r::toString);
        assertEquals("", r.out(), r::toString);
    }

    @Test
    void anOutputThatOverflowsIsShownAndIsAnError() throws IOException {
        String nn = model();
        CliRun text = CliRun.of("predict", nn, "--input", "3e38,-3e38,3e38");
        assertEquals(1, text.exit(), text::toString);
        assertEquals("Infinity", text.out().strip(), text::toString);
        assertTrue(text.err().contains("nnc: the output for input is not finite (output 0 is Infinity): the model "
                + "overflowed a float on it"), text::toString);
        assertFalse(text.hasStackTrace(), text::toString);

        CliRun json = CliRun.of("predict", nn, "--input", "3e38,-3e38,3e38", "--format", "json");
        assertEquals(1, json.exit(), json::toString);
        assertTrue(json.out().contains("\"outputs\": [\"Infinity\"]"), json::toString);
    }
}
