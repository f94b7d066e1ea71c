package nnc.compiler.lsp;

import java.util.List;
import java.util.Locale;
import nnc.compiler.layers.ArgSpec;
import nnc.compiler.layers.ArgType;
import nnc.compiler.layers.Binder;
import nnc.compiler.layers.Layer;
import nnc.compiler.layers.Layers;
import nnc.compiler.lsp.Outline.Decl;
import nnc.compiler.lsp.Outline.Def;

/** Layer and block signatures as the editor shows them, from the vocabulary in {@link Layers}. */
final class Signatures {
    private Signatures() {
    }

    /** {@code conv2d(channels, kernel, stride: 1, pad: valid, ...)}, as the compiler's usage messages write it. */
    static String of(Layer layer) {
        return Binder.signature(layer.name(), layer.signature()).substring("usage: ".length());
    }

    /** {@code stride: 1}, {@code channels}: one argument as {@link #of(Layer)} writes it. */
    static String argument(ArgSpec a) {
        String call = usage(a);
        return call.substring(call.indexOf('(') + 1, call.length() - 1);
    }

    /** A default as .nn writes it; "required" or "..." (may be left out) when there is none. */
    static String defaultText(ArgSpec a) {
        if (a.isRequired()) {
            return "required";
        }
        String arg = argument(a);
        return arg.substring(arg.indexOf(": ") + 2);
    }

    private static String usage(ArgSpec a) {
        return Binder.signature("f", List.of(a));
    }

    /** What an argument takes, with its default: {@code a whole number >= 1; default 1}. */
    static String describe(ArgSpec a) {
        String type = a.type() == ArgType.CHOICE ? String.join(" | ", a.choices()) : a.type().description();
        return a.isRequired() ? type + " (required)" : type + "; default " + defaultText(a);
    }

    /** The words an argument of this type may be written as (for completion after {@code name:}). */
    static List<String> valueWords(ArgSpec a) {
        return switch (a.type()) {
            case CHOICE -> a.choices().stream().filter(c -> !c.isEmpty()).toList();
            case BOOL -> List.of("true", "false");
            case PADDING -> List.of("same", "valid");
            case INIT -> List.of("he", "glorot", "zeros", "ones", "normal(", "uniform(", "constant(");
            default -> a.name().equals("bias") ? List.of("true", "false") : List.of();
        };
    }

    /** {@code block ConvBn(c)}. */
    static String of(Decl block) {
        List<String> params = block.defs().stream().filter(d -> d.kind() == Def.Kind.PARAM).map(Def::name).toList();
        return block.keyword() + " " + block.name() + (params.isEmpty() ? "" : "(" + String.join(", ", params) + ")");
    }

    /** The arguments of a callee: a layer's signature, or a block's parameters (positional, any value). */
    static List<ArgSpec> arguments(String callee, Outline outline) {
        Layer layer = Layers.byName(callee);
        if (layer != null) {
            return layer.signature();
        }
        Decl block = outline.network(callee);
        if (block == null || !block.keyword().equals("block")) {
            return List.of();
        }
        return block.defs().stream().filter(d -> d.kind() == Def.Kind.PARAM)
                .map(d -> ArgSpec.required(d.name(), ArgType.ANY)).toList();
    }

    /** 1234567 -> "1.23 M". */
    static String count(long n) {
        if (n < 10_000) {
            return String.format(Locale.ROOT, "%,d", n);
        }
        String[] units = {"k", "M", "G", "T"};
        double v = n;
        int u = -1;
        while (v >= 1000 && u < units.length - 1) {
            v /= 1000;
            u++;
        }
        return String.format(Locale.ROOT, v < 10 ? "%.2f %s" : v < 100 ? "%.1f %s" : "%.0f %s", v, units[u]);
    }
}
