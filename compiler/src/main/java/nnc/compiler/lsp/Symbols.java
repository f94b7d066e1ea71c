package nnc.compiler.lsp;

import java.util.ArrayList;
import java.util.List;
import nnc.compiler.CompileResult;
import nnc.compiler.ir.Graph;
import nnc.compiler.lsp.Outline.Decl;
import nnc.compiler.lsp.Outline.Def;
import nnc.compiler.lsp.ShapeIndex.Instance;
import org.eclipse.lsp4j.DocumentSymbol;
import org.eclipse.lsp4j.SymbolKind;

/** The outline: models, blocks, data, train and sweep declarations, with each network's names. */
final class Symbols {
    private Symbols() {
    }

    static List<DocumentSymbol> symbols(Snapshot s) {
        List<DocumentSymbol> out = new ArrayList<>();
        for (Decl d : s.outline().decls()) {
            String name = d.name().isEmpty() ? d.keyword() : d.name();
            DocumentSymbol sym = new DocumentSymbol(name, kind(d.keyword()), s.range(d.span()), s.range(d.nameSpan()),
                    detail(s, d));
            List<DocumentSymbol> children = new ArrayList<>();
            for (Def def : d.defs()) {
                List<Instance> found = s.shapes().at(def.span().start());
                String shape = found.size() == 1 && found.get(0).type() != null ? found.get(0).type().shapeText() : null;
                children.add(new DocumentSymbol(def.name(), def.kind() == Def.Kind.PARAM ? SymbolKind.TypeParameter
                        : SymbolKind.Variable, s.range(def.span()), s.range(def.span()), shape));
            }
            sym.setChildren(children);
            out.add(sym);
        }
        return out;
    }

    private static SymbolKind kind(String keyword) {
        return switch (keyword) {
            case "model" -> SymbolKind.Class;
            case "block" -> SymbolKind.Function;
            case "data" -> SymbolKind.Constant;
            case "train" -> SymbolKind.Event;
            default -> SymbolKind.Array;
        };
    }

    private static String detail(Snapshot s, Decl d) {
        if (d.keyword().equals("train") || d.keyword().equals("sweep")) {
            return d.keyword() + (d.dataRef() != null ? " on " + d.dataRef().name() : "");
        }
        CompileResult.ModelShapes m = d.keyword().equals("model") ? s.shapes().model(d.name()) : null;
        if (m == null || m.network().graph().input() < 0) {
            return d.keyword();
        }
        Graph g = m.network().graph();
        return g.type(g.input()).shapeText() + " → " + (g.output() >= 0 ? g.type(g.output()).shapeText() : "?") + ", "
                + String.format(java.util.Locale.ROOT, "%,d params", m.network().paramCount(false));
    }
}
