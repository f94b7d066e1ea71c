package nnc.compiler.lsp;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import nnc.compiler.lsp.ShapeIndex.Instance;
import nnc.compiler.syntax.Ast;
import org.eclipse.lsp4j.InlayHint;
import org.eclipse.lsp4j.InlayHintKind;
import org.eclipse.lsp4j.jsonrpc.messages.Either;

/**
 * The inferred shape at the end of each line of a {@code ->} chain, after the line's last
 * stage, so a reader sees shapes without hovering. A stage with a shape assertion already
 * shows its shape and gets none; a block's line shows each distinct shape of its instances.
 */
final class InlayHints {
    private InlayHints() {
    }

    /** The hints of lines {@code [fromLine, toLine]} (0-based). */
    static List<InlayHint> hints(Snapshot s, int fromLine, int toLine) {
        if (s.result() == null || s.result().analysis() == null) {
            return List.of();
        }
        Map<Integer, Ast.Stage> lastOnLine = new TreeMap<>();
        for (Ast.Decl d : s.result().analysis().ast().decls()) {
            if (d instanceof Ast.Network n) {
                for (Ast.Stmt st : n.body()) {
                    switch (st) {
                        case Ast.AssignStmt a -> stages(s, a.value(), lastOnLine);
                        case Ast.ExprStmt e -> stages(s, e.value(), lastOnLine);
                        case Ast.InputStmt i -> { }
                    }
                }
            }
        }
        List<InlayHint> out = new ArrayList<>();
        for (Map.Entry<Integer, Ast.Stage> e : lastOnLine.entrySet()) {
            Ast.Stage stage = e.getValue();
            int line = e.getKey();
            if (line < fromLine || line > toLine || stage.assertion() != null) {
                continue;
            }
            Set<String> shapes = new LinkedHashSet<>();
            for (Instance in : s.shapes().at(stage.call().nameSpan().start())) {
                if (in.type() != null) {
                    shapes.add(in.type().shapeText());
                }
            }
            if (!shapes.isEmpty()) {
                InlayHint h = new InlayHint(s.position(stage.call().span().end()),
                        Either.forLeft(String.join(" | ", shapes)));
                h.setKind(InlayHintKind.Type);
                h.setPaddingLeft(true);
                out.add(h);
            }
        }
        return out;
    }

    private static void stages(Snapshot s, Ast.Pipeline p, Map<Integer, Ast.Stage> lastOnLine) {
        operand(s, p.head(), lastOnLine);
        for (Ast.Stage stage : p.stages()) {
            lastOnLine.merge(s.position(stage.call().span().end()).getLine(), stage,
                    (a, b) -> a.span().end() >= b.span().end() ? a : b);
        }
    }

    private static void operand(Snapshot s, Ast.Operand op, Map<Integer, Ast.Stage> lastOnLine) {
        switch (op) {
            case Ast.ParenOperand paren -> stages(s, paren.inner(), lastOnLine);
            case Ast.AddOperand add -> {
                operand(s, add.left(), lastOnLine);
                operand(s, add.right(), lastOnLine);
            }
            case Ast.CallOperand c -> { }
        }
    }
}
