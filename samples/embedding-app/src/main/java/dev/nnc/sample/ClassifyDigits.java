package dev.nnc.sample;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import nnc.generated.Digits;
import nnc.runtime.model.Prediction;

/**
 * Classifies handwritten digits with a model compiled by nnc. {@code Digits} is generated from
 * {@code src/main/nn/digits.nn} by the nnc Maven plugin during the build; its trained weights
 * are the resource {@code /digits.nnw}.
 *
 * <pre>
 *   mvn package         (generates Digits.java, compiles, runs the test on src/test/resources/digits)
 *   java --add-modules jdk.incubator.vector -cp target/classes:NNC_RUNTIME_JAR \
 *       dev.nnc.sample.ClassifyDigits src/test/resources/digits/*.png
 * </pre>
 */
public final class ClassifyDigits {
    private ClassifyDigits() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length == 0) {
            System.err.println("usage: ClassifyDigits IMAGE.png...  (28x28 grey digits, white on black)");
            System.exit(2);
        }
        for (String line : classify(List.of(args))) {
            System.out.println(line);
        }
    }

    /** One line per image, in order: its file and the digit with its probability. */
    public static List<String> classify(List<String> files) throws IOException {
        try (InputStream weights = ClassifyDigits.class.getResourceAsStream("/digits.nnw");
             Digits model = Digits.load(weights)) {
            // The model is safe to call from many threads at once: classify in parallel.
            return files.parallelStream().map(f -> {
                Prediction p = model.classify(pixels(Path.of(f)));
                return String.format("%s: digit %s (probability %.4f)", f, p.label(), p.probability());
            }).toList();
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /** The raw grey levels 0-255, row by row: the model applies its own normalisation. */
    static float[] pixels(Path file) {
        try {
            BufferedImage img = ImageIO.read(file.toFile());
            if (img == null || img.getWidth() != 28 || img.getHeight() != 28) {
                throw new IOException(file + ": not a 28x28 image");
            }
            float[] x = new float[28 * 28];
            for (int y = 0; y < 28; y++) {
                for (int c = 0; c < 28; c++) {
                    x[y * 28 + c] = img.getRaster().getSample(c, y, 0);
                }
            }
            return x;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
