package nnc.compiler.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** cross_entropy on CSV data takes a class index per row, or a one-hot row of targets. */
class TargetsTest {
    static final String ONE_HOT = """
            model M {
                input x: [2]
                x -> linear(16) -> tanh -> linear(2)
            }
            data moons = csv("data/onehot.csv", targets: 2, test: 0.25)
            train M on moons {
                loss      cross_entropy
                optimizer adam(lr: 1e-2)
                batch     32, shuffle
                epochs    3
                seed      3
            }
            """;

    @TempDir
    Path tmp;

    /** moons.csv with its 0/1 class column written as two one-hot columns; {@code soft} rows get 0.5, 0.5. */
    private Path project(int soft) throws Exception {
        Path file = RunProject.create(tmp.resolve("p"), ONE_HOT);
        List<String> out = new ArrayList<>();
        int row = 0;
        for (String line : Files.readAllLines(file.getParent().resolve("data/moons.csv"))) {
            String[] f = line.split(",");
            if (!f[0].matches("-?[0-9.]+")) {
                continue;
            }
            boolean one = Double.parseDouble(f[2]) == 1;
            out.add(f[0] + "," + f[1] + "," + (row++ == soft ? "0.5,0.5" : one ? "0,1" : "1,0"));
        }
        Files.write(file.getParent().resolve("data/onehot.csv"), out);
        return file;
    }

    @Test
    void oneHotRowsTrainAsClassIndices() throws Exception {
        Path file = project(-1);
        CliRun r = CliRun.of(RunProject.args("train", file, "--out", tmp.resolve("run")));
        assertEquals(0, r.exit(), r::toString);
        String last = r.out().strip();
        double accuracy = Double.parseDouble(last.substring(last.indexOf("accuracy=") + 9));
        assertTrue(accuracy > 0.75, "3 epochs separate the moons roughly: " + last);
    }

    @Test
    void aSoftRowIsAnErrorAtTheLoss() throws Exception {
        Path file = project(6);
        CliRun r = CliRun.of(RunProject.args("train", file, "--out", tmp.resolve("run")));
        assertEquals(1, r.exit(), r::toString);
        assertTrue(r.err().contains(file + ":7:15: error: cross_entropy takes a class index or a one-hot row per "
                + "sample, but sample 7 has targets [0.5, 0.5], which are not one-hot"), r::toString);
        assertFalse(r.hasStackTrace(), r::toString);
    }
}
