package nnc.compiler.lsp;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import nnc.compiler.diag.Span;
import nnc.compiler.lsp.Tokens.Tok;

/**
 * The declarations of a file and the names each network defines, read from tokens rather than
 * the syntax tree, so that go-to-definition, completion and the outline work on half-typed
 * text. A declaration starts at a keyword outside braces and ends at its closing brace; a
 * declaration whose brace is never closed ends where a keyword starts a line at column 1.
 */
final class Outline {
    static final Set<String> KEYWORDS = Set.of("model", "block", "data", "train", "sweep");

    /** A name defined in a network: a parameter, the input, or a named value. */
    record Def(String name, Span span, Kind kind) {
        enum Kind { PARAM, INPUT, VALUE }
    }

    /**
     * One top-level declaration.
     *
     * @param name    the declared name (for train and sweep: the model they refer to); may be ""
     * @param span    from the keyword to the closing brace (or the last token)
     * @param body    the inside of the braces, or null
     * @param defs    parameters, input and values of a network, in text order
     * @param dataRef for train: the data name after 'on' and its span, else null
     */
    record Decl(String keyword, String name, Span nameSpan, Span span, Span body, List<Def> defs, Def dataRef) {
        boolean isNetwork() {
            return keyword.equals("model") || keyword.equals("block");
        }

        boolean contains(int offset) {
            return offset >= span.start() && offset <= span.end();
        }

        /** The definitions visible at {@code offset}: parameters, then input and values defined before it. */
        List<Def> scopeAt(int offset) {
            return defs.stream().filter(d -> d.kind() == Def.Kind.PARAM || d.span().start() < offset).toList();
        }
    }

    private final Tokens tokens;
    private final List<Decl> decls;

    private Outline(Tokens tokens, List<Decl> decls) {
        this.tokens = tokens;
        this.decls = decls;
    }

    static Outline of(String text) {
        Tokens tokens = Tokens.of(text);
        List<Decl> decls = new ArrayList<>();
        int i = 0;
        while (i < tokens.size()) {
            Tok t = tokens.get(i);
            if (KEYWORDS.contains(t.text()) && t.type() != nnc.grammar.NnLexer.STRING) {
                i = declaration(tokens, i, text, decls);
            } else {
                i++;
            }
        }
        return new Outline(tokens, List.copyOf(decls));
    }

    Tokens tokens() {
        return tokens;
    }

    List<Decl> decls() {
        return decls;
    }

    /** The declaration around an offset, or null. */
    Decl declAt(int offset) {
        return decls.stream().filter(d -> d.contains(offset)).findFirst().orElse(null);
    }

    /** The network (model or block) declared with this name, or null. */
    Decl network(String name) {
        return decls.stream().filter(d -> d.isNetwork() && d.name().equals(name)).findFirst().orElse(null);
    }

    Decl data(String name) {
        return decls.stream().filter(d -> d.keyword().equals("data") && d.name().equals(name)).findFirst().orElse(null);
    }

    List<Decl> blocks() {
        return decls.stream().filter(d -> d.keyword().equals("block") && !d.name().isEmpty()).toList();
    }

    /** Reads one declaration from its keyword at {@code k}; returns the index after it. */
    private static int declaration(Tokens tokens, int k, String text, List<Decl> out) {
        Tok kw = tokens.get(k);
        int i = k + 1;
        String name = "";
        Span nameSpan = new Span(kw.start(), kw.end());
        Tok n = tokens.get(i);
        if (n != null && n.isId()) {
            name = n.text();
            nameSpan = new Span(n.start(), n.end());
            i++;
        }
        List<Def> defs = new ArrayList<>();
        if (kw.text().equals("model") || kw.text().equals("block")) {
            i = params(tokens, i, defs);
        }
        Def dataRef = null;
        Span body = null;
        int end = kw.end();
        // Up to the body's opening brace (or the next declaration).
        while (i < tokens.size() && !tokens.get(i).is("{") && !startsDecl(tokens, i, text)) {
            Tok t = tokens.get(i);
            if (kw.text().equals("train") && t.is("on") && tokens.get(i + 1) != null && tokens.get(i + 1).isId()) {
                Tok d = tokens.get(i + 1);
                dataRef = new Def(d.text(), new Span(d.start(), d.end()), Def.Kind.VALUE);
            }
            end = t.end();
            i++;
        }
        if (i < tokens.size() && tokens.get(i).is("{")) {
            int open = tokens.get(i).end();
            int depth = 0;
            int bodyEnd = text.length();
            for (; i < tokens.size(); i++) {
                Tok t = tokens.get(i);
                if (depth > 0 && startsDecl(tokens, i, text)) {
                    break;
                }
                end = t.end();
                if (t.is("{")) {
                    depth++;
                } else if (t.is("}") && --depth == 0) {
                    bodyEnd = t.start();
                    i++;
                    break;
                } else if (depth == 1 && (kw.text().equals("model") || kw.text().equals("block"))) {
                    definition(tokens, i, defs);
                }
            }
            body = new Span(open, Math.max(open, Math.min(bodyEnd, end)));
        }
        out.add(new Decl(kw.text(), name, nameSpan, new Span(kw.start(), Math.max(end, kw.end())), body,
                List.copyOf(defs), dataRef));
        return i;
    }

    /** {@code (a, b = 1)}: the parameter names. */
    private static int params(Tokens tokens, int i, List<Def> defs) {
        if (tokens.get(i) == null || !tokens.get(i).is("(")) {
            return i;
        }
        int depth = 0;
        for (; i < tokens.size(); i++) {
            Tok t = tokens.get(i);
            if (t.is("(")) {
                depth++;
            } else if (t.is(")") && --depth == 0) {
                return i + 1;
            } else if (t.is("{")) {
                return i;
            } else if (depth == 1 && t.isId() && (tokens.get(i - 1).is("(") || tokens.get(i - 1).is(","))) {
                defs.add(new Def(t.text(), new Span(t.start(), t.end()), Def.Kind.PARAM));
            }
        }
        return i;
    }

    /** {@code input x} and {@code name =} define names. */
    private static void definition(Tokens tokens, int i, List<Def> defs) {
        Tok t = tokens.get(i);
        Tok next = tokens.get(i + 1);
        if (t.is("input") && next != null && next.isId()) {
            defs.add(new Def(next.text(), new Span(next.start(), next.end()), Def.Kind.INPUT));
        } else if (t.isId() && next != null && next.is("=") && !t.is("input")) {
            defs.add(new Def(t.text(), new Span(t.start(), t.end()), Def.Kind.VALUE));
        }
    }

    /** A declaration keyword at the start of a line, in column 1: where an unclosed declaration ends. */
    private static boolean startsDecl(Tokens tokens, int i, String text) {
        Tok t = tokens.get(i);
        return KEYWORDS.contains(t.text()) && t.type() != nnc.grammar.NnLexer.STRING
                && (t.start() == 0 || text.charAt(t.start() - 1) == '\n');
    }
}
