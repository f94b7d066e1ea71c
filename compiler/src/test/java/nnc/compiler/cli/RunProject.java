package nnc.compiler.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import nnc.compiler.TestModels;

/** A folder with a small .nn file and the moons data beside it, as a user's project would be. */
final class RunProject {
    /** Dropout, shuffling, Adam and a cosine schedule: every random stream but augmentation. */
    static final String MOONS = """
            model M {
                input x: [2]
                x -> linear(16) -> tanh -> dropout(0.2) -> linear(16) -> tanh -> linear(1) -> sigmoid
            }

            data moons = csv("data/moons.csv", targets: 1, test: 0.25)

            train M on moons {
                loss      binary_cross_entropy
                optimizer adam(lr: 1e-2)
                batch     32, shuffle
                epochs    6
                schedule  cosine
                seed      3
            }
            """;

    /** Small settings that give 15 steps per epoch; --resume must bring back the --set too. */
    static final List<String> QUICK = List.of("--limit", "480", "--epochs", "6", "--set", "lr=0.02");

    private RunProject() {
    }

    static Path create(Path dir, String text) throws IOException {
        Files.createDirectories(dir.resolve("data"));
        Files.copy(TestModels.root().resolve("samples/data/moons.csv"), dir.resolve("data/moons.csv"));
        Files.writeString(dir.resolve("m.nn"), text);
        return dir.resolve("m.nn");
    }

    /** Every file under {@code dir} with its bytes, to show nothing changed. */
    static Map<String, String> snapshot(Path dir) throws IOException {
        Map<String, String> m = new TreeMap<>();
        try (var files = Files.walk(dir)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                m.put(dir.relativize(f).toString(), java.util.HexFormat.of().formatHex(
                        java.security.MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(f))));
            }
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
        return m;
    }

    /** metrics.csv without the timing column: what must match between runs. */
    static List<String> metricsWithoutSeconds(Path run) throws IOException {
        return Files.readAllLines(run.resolve("metrics.csv")).stream().map(l -> l.replaceFirst("^([^,]*),[^,]*,", "$1,"))
                .toList();
    }

    static String[] args(Object... parts) {
        List<String> a = new java.util.ArrayList<>();
        for (Object p : parts) {
            if (p instanceof List<?> l) {
                l.forEach(x -> a.add(x.toString()));
            } else if (p instanceof Object[] arr) {
                a.addAll(List.of(args(arr)));
            } else {
                a.add(p.toString());
            }
        }
        return a.toArray(String[]::new);
    }
}
