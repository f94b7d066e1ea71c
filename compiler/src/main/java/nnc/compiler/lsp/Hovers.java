package nnc.compiler.lsp;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import nnc.compiler.CompileResult;
import nnc.compiler.diag.Span;
import nnc.compiler.ir.Graph;
import nnc.compiler.ir.Network;
import nnc.compiler.layers.Layer;
import nnc.compiler.layers.Layers;
import nnc.compiler.lsp.Outline.Decl;
import nnc.compiler.lsp.Outline.Def;
import nnc.compiler.lsp.ShapeIndex.Instance;
import nnc.compiler.lsp.Tokens.Tok;
import org.eclipse.lsp4j.Hover;
import org.eclipse.lsp4j.MarkupContent;
import org.eclipse.lsp4j.MarkupKind;

/**
 * Hover: on a layer, its signature and, per instance, output shape, parameter count and FLOPs;
 * on a block call, the block's signature and each instance's output; on a value name, its
 * shape; on a model's name, its input and output shapes and totals. Shapes come from the
 * check of the current text, as far as inference got (the layers before a mistake have them).
 */
final class Hovers {
    private Hovers() {
    }

    static Hover hover(Snapshot s, int offset) {
        Tokens ts = s.outline().tokens();
        int i = ts.at(offset);
        Tok t = ts.get(i);
        if (t == null || !(t.isId() || t.is("+"))) {
            return null;
        }
        List<Instance> found = s.shapes().at(t.start());
        Decl decl = s.outline().declAt(offset);
        String md = markdown(s, t, ts.get(i - 1), decl, found);
        if (md == null) {
            return null;
        }
        return new Hover(new MarkupContent(MarkupKind.MARKDOWN, md), s.range(new Span(t.start(), t.end())));
    }

    private static String markdown(Snapshot s, Tok t, Tok prev, Decl decl, List<Instance> found) {
        String name = t.text();
        boolean several = s.shapes().modelCount() > 1;
        if (decl != null && decl.isNetwork() && decl.nameSpan().start() == t.start()) {
            return decl.keyword().equals("model") ? model(s, decl) : code(Signatures.of(decl))
                    + "\n\nA block: inlined where it is used, its input bound to the piped value.";
        }
        Layer layer = Layers.byName(name);
        boolean stage = prev != null && prev.is("->") || layer != null && layer.inputs() != 1;
        if (layer != null && stage) {
            StringBuilder b = new StringBuilder(code(Signatures.of(layer))).append("\n\n").append(layer.doc());
            for (Instance in : found) {
                b.append("\n\n").append(line(in, in.layer() == null ? name : in.layer().name(), several));
            }
            return b.toString();
        }
        Decl block = s.outline().network(name);
        if (block != null && block.keyword().equals("block") && stage) {
            StringBuilder b = new StringBuilder(code(Signatures.of(block)));
            for (Instance in : found) {
                int slash = in.path().lastIndexOf('/');
                // The instance is named in bold; the prefix is the block it sits in, if any.
                Instance inside = new Instance(in.model(), slash < 0 ? "" : in.path().substring(0, slash),
                        in.network(), in.value(), in.layer(), in.params(), in.flops());
                b.append("\n\n").append(line(inside, in.path().substring(slash + 1), several));
            }
            return b.toString();
        }
        if (t.is("+")) {
            StringBuilder b = new StringBuilder(code("a + b") + "\n\nelement-wise sum of two values of the same shape");
            found.forEach(in -> b.append("\n\n").append(line(in, "add", several)));
            return b.toString();
        }
        if (decl != null && decl.isNetwork()) {
            Def def = Definitions.inScope(decl, name, t.start());
            if (def != null && def.kind() == Def.Kind.PARAM) {
                return code(name) + "\n\na parameter of " + decl.keyword() + " " + decl.name();
            }
            if (def != null || !found.isEmpty()) {
                Set<String> lines = new LinkedHashSet<>();
                for (Instance in : found) {
                    if (in.type() != null) {
                        lines.add(prefix(in, several) + "`" + in.type().shapeText() + "`");
                    }
                }
                String kind = def != null && def.kind() == Def.Kind.INPUT ? "input " : "value ";
                return code(kind + name) + (lines.isEmpty() ? "" : "\n\n" + String.join("  \n", lines));
            }
        }
        return null;
    }

    /** {@code **conv2d_1** → [32, 28, 28] · 320 params · 452 k FLOPs per sample}. */
    private static String line(Instance in, String label, boolean several) {
        StringBuilder b = new StringBuilder(prefix(in, several)).append("**").append(label).append("**");
        if (in.type() == null) {
            return b.append(" → no shape (see the errors)").toString();
        }
        b.append(" → `").append(in.type().shapeText()).append('`');
        b.append(" · ").append(String.format(java.util.Locale.ROOT, "%,d", in.params()))
                .append(in.params() == 1 ? " param" : " params");
        b.append(" · ").append(Signatures.count(in.flops())).append(" FLOPs per sample");
        return b.toString();
    }

    private static String prefix(Instance in, boolean several) {
        String where = several ? in.where() : in.path();
        return where.isEmpty() ? "" : where + ": ";
    }

    private static String model(Snapshot s, Decl decl) {
        StringBuilder b = new StringBuilder(code(Signatures.of(decl)));
        CompileResult.ModelShapes m = s.shapes().model(decl.name());
        if (m == null) {
            return b.toString();
        }
        Network n = m.network();
        Graph g = n.graph();
        List<String> facts = new ArrayList<>();
        if (g.input() >= 0) {
            facts.add("`" + g.type(g.input()).shapeText() + "` → "
                    + (g.output() >= 0 ? "`" + g.type(g.output()).shapeText() + "`" : "? (see the errors)"));
        }
        facts.add(String.format(java.util.Locale.ROOT, "%,d params (%,d trainable)", n.paramCount(false),
                n.paramCount(true)));
        facts.add(Signatures.count(ShapeIndex.flops(n, "", true)) + " FLOPs per sample (forward)");
        facts.add(n.layers().size() + " layers");
        return b.append("\n\n").append(String.join("  \n", facts)).toString();
    }

    private static String code(String s) {
        return "```nn\n" + s + "\n```";
    }
}
