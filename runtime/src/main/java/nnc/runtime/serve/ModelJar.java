package nnc.runtime.serve;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import nnc.runtime.model.CompiledModel;

/**
 * What a model jar built by {@code nnc build} says about itself, in
 * {@code META-INF/nnc/model.properties}: the generated class, the weights resource and where
 * those weights came from, plus the summary that {@code info} prints. {@code nnc build} writes
 * it with {@link #KEYS}; {@link ModelMain} reads it.
 */
public final class ModelJar {
    public static final String DESCRIPTOR = "META-INF/nnc/model.properties";
    public static final String SUMMARY = "META-INF/nnc/summary.txt";
    public static final String CLASS = "class";
    public static final String WEIGHTS = "weights";
    public static final String WEIGHTS_ORIGIN = "weights.origin";
    public static final String SOURCE = "source";
    public static final String BUILT = "built";
    public static final String NNC_VERSION = "nnc.version";
    /** Multiply-adds of one sample's forward pass: how {@link ModelMain} estimates the work of a run. */
    public static final String MACS = "macs.per.sample";
    /** The dataset the model trained on, when it is a named one (mnist); empty otherwise. */
    public static final String DATA = "data";
    public static final java.util.List<String> KEYS = java.util.List.of(CLASS, WEIGHTS, WEIGHTS_ORIGIN, SOURCE, BUILT,
            NNC_VERSION, MACS, DATA);

    private final Properties props;

    private ModelJar(Properties props) {
        this.props = props;
    }

    /** The descriptor of the jar this class was loaded from; null when there is none. */
    static ModelJar current() throws IOException {
        try (InputStream in = ModelJar.class.getClassLoader().getResourceAsStream(DESCRIPTOR)) {
            if (in == null) {
                return null;
            }
            Properties p = new Properties();
            p.load(new StringReader(new String(in.readAllBytes(), StandardCharsets.UTF_8)));
            return new ModelJar(p);
        }
    }

    String get(String key) {
        return props.getProperty(key, "");
    }

    long macs() {
        try {
            return Long.parseLong(get(MACS));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** The summary {@code nnc build} stored, or empty. */
    static String summary() throws IOException {
        try (InputStream in = ModelJar.class.getClassLoader().getResourceAsStream(SUMMARY)) {
            return in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** A new instance of the model with its weights (or its fixed values, for a model without weights). */
    CompiledModel load() throws IOException {
        CompiledModel m;
        try {
            m = Class.forName(get(CLASS), true, ModelJar.class.getClassLoader()).asSubclass(CompiledModel.class)
                    .getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException | ClassCastException e) {
            throw new IOException("the jar's model class '" + get(CLASS) + "' cannot be loaded: " + e);
        }
        if (get(WEIGHTS).isEmpty()) {
            m.initialize(0);
            return m;
        }
        try (InputStream in = ModelJar.class.getClassLoader().getResourceAsStream(get(WEIGHTS))) {
            if (in == null) {
                throw new IOException("the jar's weights '" + get(WEIGHTS) + "' are missing");
            }
            m.loadWeights(in, get(WEIGHTS));
        }
        return m;
    }
}
