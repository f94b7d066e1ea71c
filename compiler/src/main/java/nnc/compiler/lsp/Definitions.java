package nnc.compiler.lsp;

import nnc.compiler.diag.Span;
import nnc.compiler.lsp.Outline.Decl;
import nnc.compiler.lsp.Outline.Def;
import nnc.compiler.lsp.Tokens.Tok;

/**
 * Go to definition, from tokens (works while the file does not parse): a block or model name
 * goes to its declaration, a value to the statement that names it, a parameter to the
 * network's parameter list, the data of a train declaration to its data declaration.
 */
final class Definitions {
    private Definitions() {
    }

    /** The span of the definition of the name at {@code offset}, or null. */
    static Span definition(Outline o, int offset) {
        Tokens ts = o.tokens();
        int i = ts.at(offset);
        Tok t = ts.get(i);
        if (t == null || !t.isId()) {
            return null;
        }
        String name = t.text();
        Decl decl = o.declAt(offset);
        if (decl != null && decl.dataRef() != null && decl.dataRef().span().start() == t.start()) {
            Decl data = o.data(name);
            return data == null ? null : data.nameSpan();
        }
        Tok prev = ts.get(i - 1);
        Tok next = ts.get(i + 1);
        boolean argumentName = next != null && next.is(":") && prev != null && (prev.is("(") || prev.is(","));
        if (argumentName) {
            return null;
        }
        if (decl != null && decl.isNetwork() && !(prev != null && prev.is("->"))) {
            Def def = inScope(decl, name, t.start());
            if (def != null) {
                return def.span();
            }
        }
        Decl network = o.network(name);
        if (network != null) {
            return network.nameSpan();
        }
        Decl data = o.data(name);
        return data == null ? null : data.nameSpan();
    }

    /** The definition a name refers to in a network: its value or input (the first one), else its parameter. */
    static Def inScope(Decl network, String name, int at) {
        Def param = null;
        for (Def d : network.defs()) {
            if (!d.name().equals(name)) {
                continue;
            }
            if (d.kind() != Def.Kind.PARAM) {
                return d;
            }
            param = param == null ? d : param;
        }
        return param;
    }
}
