package nnc.compiler.layers;

import java.util.ArrayList;
import java.util.List;

/**
 * The vocabulary as documentation, from each layer's own signature and {@link Layer#doc}:
 * {@code nnc help layers} prints it, and the layer table of {@code docs/language.md} is this
 * table (a test keeps the two equal).
 */
public final class LayerDocs {
    private LayerDocs() {
    }

    /** One layer: its call with arguments and defaults, and what it does. */
    public record Entry(String call, String doc) {
    }

    public static List<Entry> entries() {
        List<Entry> out = new ArrayList<>();
        for (Layer l : Layers.all()) {
            out.add(new Entry(call(l), l.doc()));
        }
        return out;
    }

    /** {@code conv2d(channels, kernel, stride: 1, pad: valid, ...)}: required arguments first, by name. */
    static String call(Layer l) {
        String usage = Binder.signature(l.name(), l.signature());
        return usage.substring("usage: ".length());
    }

    /** The Markdown table of docs/language.md. */
    public static String markdown() {
        StringBuilder b = new StringBuilder("| layer | what it does |\n|---|---|\n");
        for (Entry e : entries()) {
            b.append("| `").append(e.call().replace("|", "\\|")).append("` | ")
                    .append(e.doc().replace("|", "\\|")).append(" |\n");
        }
        return b.toString();
    }

    /** Aligned plain text for a terminal. */
    public static String text() {
        int width = entries().stream().mapToInt(e -> e.call().length()).max().orElse(0);
        StringBuilder b = new StringBuilder();
        for (Entry e : entries()) {
            b.append(String.format("  %-" + width + "s  %s%n", e.call(), e.doc()));
        }
        return b.toString();
    }
}
