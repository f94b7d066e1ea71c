package nnc.compiler.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Collectors;
import nnc.runtime.kernels.Act;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code nnc predict} on a model that is one activation layer: the printed outputs (6
 * significant digits) are the activation of the inputs. Swish against {@code x sigmoid(x)}
 * written out here; every activation against its declaration's double reference.
 */
class ActivationPredictTest {
    static final float[] X = {-9f, -3.5f, -1f, -0.25f, 0f, 1e-3f, 0.5f, 1f, 2.75f, 8f};
    /** Relative: the printed 6 digits plus float rounding. */
    static final double TOLERANCE = 2e-5;

    @TempDir
    Path dir;

    @Test
    void swishIsXTimesSigmoidOfX() throws IOException {
        double[] y = predict("swish");
        for (int i = 0; i < X.length; i++) {
            double x = X[i];
            double want = x * (1 / (1 + Math.exp(-x)));
            assertEquals(want, y[i], TOLERANCE * Math.max(1e-3, Math.abs(want)), "swish(" + x + ")");
        }
    }

    @ParameterizedTest
    @EnumSource(Act.class)
    void everyActivationPredictsItsReference(Act act) throws IOException {
        double[] y = predict(act.function().name());
        double alpha = act.function().takesAlpha() ? act.function().defaultAlpha() : 0;
        for (int i = 0; i < X.length; i++) {
            double want = act.function().reference(X[i], alpha);
            assertEquals(want, y[i], TOLERANCE * Math.max(1e-3, Math.abs(want)), act + "(" + X[i] + ")");
        }
    }

    /** Writes {@code x -> layer} with an input of {@link #X}'s length, runs predict, parses the outputs. */
    private double[] predict(String layer) throws IOException {
        Path file = dir.resolve(layer + ".nn");
        Files.writeString(file, """
                model OneActivation {
                    input x: [%d]
                    x -> %s
                }
                """.formatted(X.length, layer));
        String input = Arrays.stream(boxed(X)).map(String::valueOf).collect(Collectors.joining(","));
        CliRun r = CliRun.of("predict", file.toString(), "--input", input);
        assertEquals(0, r.exit(), r::toString);
        String[] parts = r.out().strip().split("\\s+");
        assertEquals(X.length, parts.length, r::toString);
        return Arrays.stream(parts).mapToDouble(Double::parseDouble).toArray();
    }

    private static Float[] boxed(float[] v) {
        Float[] b = new Float[v.length];
        for (int i = 0; i < v.length; i++) {
            b[i] = v[i];
        }
        return b;
    }
}
