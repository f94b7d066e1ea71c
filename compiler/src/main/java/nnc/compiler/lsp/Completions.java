package nnc.compiler.lsp;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import nnc.compiler.layers.ArgSpec;
import nnc.compiler.layers.Layer;
import nnc.compiler.layers.Layers;
import nnc.compiler.lsp.Outline.Decl;
import nnc.compiler.lsp.Outline.Def;
import nnc.compiler.lsp.Tokens.Tok;
import org.eclipse.lsp4j.CompletionItem;
import org.eclipse.lsp4j.CompletionItemKind;
import org.eclipse.lsp4j.MarkupContent;
import org.eclipse.lsp4j.MarkupKind;

/**
 * Completion from the tokens before the cursor, so it works on half-typed text: after
 * {@code ->}, layer and block names; inside a call's parentheses, the argument names not
 * given yet (with type and default) and, after {@code name:}, the words that argument takes;
 * at the start of a statement or a pipeline, the values in scope; outside declarations, the
 * keywords.
 */
final class Completions {
    private Completions() {
    }

    /**
     * An open parenthesis or bracket around the cursor, the name called with it, the arguments
     * given by name (anywhere in the call) and how many positional ones come before the cursor.
     */
    private static final class Frame {
        final String open;
        final String callee;
        final Set<String> named = new HashSet<>();
        int positional;
        boolean currentNamed;

        Frame(String open, String callee) {
            this.open = open;
            this.callee = callee;
        }
    }

    static List<CompletionItem> complete(Outline o, int offset) {
        Tokens ts = o.tokens();
        int at = ts.at(offset);
        int ctx = at >= 0 && ts.get(at).isId() && ts.get(at).start() < offset ? at - 1 : ts.before(offset);
        Tok before = ts.get(ctx);
        Decl decl = o.declAt(offset);
        List<CompletionItem> out = new ArrayList<>();
        if (decl == null || decl.body() == null || offset <= decl.body().start()) {
            header(o, decl, before, out);
            return out;
        }
        if (!decl.isNetwork()) {
            return out;
        }
        Frame frame = frame(ts, decl, ctx);
        List<Def> scope = decl.scopeAt(offset);
        if (frame != null && frame.open.equals("(")) {
            List<ArgSpec> args = Signatures.arguments(frame.callee, o);
            Tok argName = ts.get(ctx - 1);
            if (before.is(":") && argName != null && argName.isId()) {
                args.stream().filter(a -> a.name().equals(argName.text())).findFirst().ifPresent(a ->
                        Signatures.valueWords(a).forEach(w -> out.add(item(w, CompletionItemKind.EnumMember,
                                Signatures.describe(a), null))));
                values(scope, out, true);
                return out;
            }
            if (before.is("(") || before.is(",")) {
                for (int k = 0; k < args.size(); k++) {
                    ArgSpec a = args.get(k);
                    boolean givenByPosition = a.positional() && k < frame.positional;
                    if (!frame.named.contains(a.name()) && !givenByPosition) {
                        CompletionItem it = item(a.name() + ":", CompletionItemKind.Property, Signatures.describe(a), null);
                        it.setInsertText(a.name() + ": ");
                        it.setFilterText(a.name());
                        out.add(it);
                    }
                }
            }
            values(scope, out, Layers.byName(frame.callee) == null || Layers.byName(frame.callee).inputs() == 1);
            return out;
        }
        if (frame != null) {
            values(scope, out, true);
            return out;
        }
        if (before.is("->")) {
            layers(o, out);
            return out;
        }
        if (before.is("{") || before.isNewline() || before.is("=") || before.is("+") || before.is("(")) {
            if (!before.is("=") && !before.is("+") && !before.is("(")) {
                out.add(item("input", CompletionItemKind.Keyword, "input x: [784]", "the network's input and its shape"));
            }
            values(scope, out, false);
            Layer concat = Layers.byName("concat");
            out.add(item("concat", CompletionItemKind.Function, Signatures.of(concat), concat.doc()));
            return out;
        }
        layers(o, out);
        values(scope, out, false);
        return out;
    }

    /** Outside a body: keywords at the top level, models after train/sweep, data after on. */
    private static void header(Outline o, Decl decl, Tok before, List<CompletionItem> out) {
        if (before != null && (before.is("train") || before.is("sweep"))) {
            o.decls().stream().filter(d -> d.keyword().equals("model"))
                    .forEach(d -> out.add(item(d.name(), CompletionItemKind.Class, Signatures.of(d), null)));
        } else if (before != null && before.is("on")) {
            o.decls().stream().filter(d -> d.keyword().equals("data") && !d.name().isEmpty())
                    .forEach(d -> out.add(item(d.name(), CompletionItemKind.Constant, "data " + d.name(), null)));
        } else if (decl == null || before == null || before.is("}")) {
            for (String k : List.of("model", "block", "data", "train", "sweep")) {
                out.add(item(k, CompletionItemKind.Keyword, null, null));
            }
        }
    }

    private static void layers(Outline o, List<CompletionItem> out) {
        for (Layer l : Layers.all()) {
            if (l.inputs() == 1) {
                out.add(item(l.name(), CompletionItemKind.Function, Signatures.of(l), l.doc()));
            }
        }
        for (Decl b : o.blocks()) {
            out.add(item(b.name(), CompletionItemKind.Module, Signatures.of(b), "a block declared in this file"));
        }
    }

    private static void values(List<Def> scope, List<CompletionItem> out, boolean withParams) {
        Map<String, Def> unique = new LinkedHashMap<>();
        for (Def d : scope) {
            if (withParams || d.kind() != Def.Kind.PARAM) {
                unique.putIfAbsent(d.name(), d);
            }
        }
        for (Def d : unique.values()) {
            boolean param = d.kind() == Def.Kind.PARAM;
            out.add(item(d.name(), param ? CompletionItemKind.Constant : CompletionItemKind.Variable,
                    param ? "parameter" : d.kind() == Def.Kind.INPUT ? "input" : "value", null));
        }
    }

    /** The innermost parenthesis or bracket open at token {@code ctx} (inclusive) in a body, or null. */
    private static Frame frame(Tokens ts, Decl decl, int ctx) {
        Deque<Frame> open = new ArrayDeque<>();
        for (int i = 0; i <= ctx; i++) {
            Tok t = ts.get(i);
            if (t.start() < decl.body().start()) {
                continue;
            }
            if (t.is("(") || t.is("[")) {
                Tok callee = ts.get(i - 1);
                open.push(new Frame(t.text(), callee != null && callee.isId() ? callee.text() : ""));
            } else if ((t.is(")") || t.is("]")) && !open.isEmpty()) {
                open.pop();
            } else if (t.is("}") && open.isEmpty()) {
                return null;
            } else if (!open.isEmpty()) {
                argumentToken(open.peek(), ts, i, true);
            }
        }
        Frame f = open.peek();
        if (f != null) {
            // Arguments given by name after the cursor, up to the closing parenthesis.
            int depth = 0;
            for (int i = ctx + 1; i < ts.size() && depth >= 0; i++) {
                Tok t = ts.get(i);
                if (t.is("(") || t.is("[")) {
                    depth++;
                } else if (t.is(")") || t.is("]")) {
                    depth--;
                } else if (t.is("}")) {
                    break;
                } else if (depth == 0) {
                    argumentToken(f, ts, i, false);
                }
            }
        }
        return f;
    }

    /** Counts a token of a call's own level: names before ':' and positional arguments ended by ','. */
    private static void argumentToken(Frame f, Tokens ts, int i, boolean beforeCursor) {
        Tok t = ts.get(i);
        if (t.is(":") && ts.get(i - 1).isId()) {
            f.named.add(ts.get(i - 1).text());
            f.currentNamed = true;
        } else if (t.is(",") && beforeCursor) {
            if (!f.currentNamed) {
                f.positional++;
            }
            f.currentNamed = false;
        }
    }

    private static CompletionItem item(String label, CompletionItemKind kind, String detail, String doc) {
        CompletionItem it = new CompletionItem(label);
        it.setKind(kind);
        it.setDetail(detail);
        if (doc != null) {
            it.setDocumentation(new MarkupContent(MarkupKind.MARKDOWN, doc));
        }
        return it;
    }
}
