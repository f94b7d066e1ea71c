package nnc.compiler.layers;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import nnc.runtime.kernels.Act;

/** The vocabulary: every layer a .nn file can name, once. */
public final class Layers {
    private Layers() {
    }

    public static final Layer ADD = new SimpleLayers.AddLayer();

    /** linear, then one layer per activation ({@link Act}), then the rest. */
    private static final List<Layer> ALL = Stream.of(
            Stream.of(new LinearLayer()),
            Arrays.stream(Act.values()).map(SimpleLayers.ActivationLayer::new),
            Stream.of(new SimpleLayers.SoftmaxLayer(),
                    new SimpleLayers.Identity(),
                    new SimpleLayers.DropoutLayer(),
                    new SimpleLayers.FlattenLayer(),
                    new ConvLayer(),
                    new PoolLayer("maxpool"),
                    new PoolLayer("avgpool"),
                    new PoolLayer("global_avgpool"),
                    new BatchNormLayer(),
                    new ConcatLayer()))
            .<Layer>flatMap(s -> s).toList();

    private static final Map<String, Layer> BY_NAME = new LinkedHashMap<>();

    static {
        for (Layer l : ALL) {
            BY_NAME.put(l.name(), l);
        }
    }

    /** The layer of that name, or null. */
    public static Layer byName(String name) {
        return BY_NAME.get(name);
    }

    public static List<Layer> all() {
        return ALL;
    }

    public static java.util.Set<String> names() {
        return BY_NAME.keySet();
    }
}
