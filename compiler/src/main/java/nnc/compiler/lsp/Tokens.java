package nnc.compiler.lsp;

import java.util.ArrayList;
import java.util.List;
import nnc.grammar.NnLexer;
import org.antlr.v4.runtime.CharStreams;
import org.antlr.v4.runtime.Token;

/**
 * The tokens of a text as the editor features read them: the grammar's own lexer, without
 * blanks and comments. Any text lexes (unknown characters become OTHER tokens), so features
 * built on tokens keep working while the file does not parse.
 */
record Tokens(List<Tok> list) {
    /** One token: its type (an {@link NnLexer} constant), text, {@code [start, end)} offsets, 1-based line, 0-based column. */
    record Tok(int type, String text, int start, int end, int line, int column) {
        boolean is(String literal) {
            return text.equals(literal) && type != NnLexer.STRING;
        }

        boolean isId() {
            return type == NnLexer.ID;
        }

        boolean isNewline() {
            return type == NnLexer.NL;
        }
    }

    static Tokens of(String text) {
        NnLexer lexer = new NnLexer(CharStreams.fromString(text));
        lexer.removeErrorListeners();
        List<Tok> out = new ArrayList<>();
        for (Token t = lexer.nextToken(); t.getType() != Token.EOF; t = lexer.nextToken()) {
            if (t.getType() == NnLexer.WS || t.getType() == NnLexer.COMMENT) {
                continue;
            }
            out.add(new Tok(t.getType(), t.getText(), t.getStartIndex(), t.getStopIndex() + 1, t.getLine(),
                    t.getCharPositionInLine()));
        }
        return new Tokens(List.copyOf(out));
    }

    Tok get(int i) {
        return i >= 0 && i < list.size() ? list.get(i) : null;
    }

    int size() {
        return list.size();
    }

    /** The index of the token that contains {@code offset} or ends right at it (a word being typed), or -1. */
    int at(int offset) {
        int found = -1;
        for (int i = 0; i < list.size(); i++) {
            Tok t = list.get(i);
            if (t.start() > offset) {
                break;
            }
            if (offset < t.end() || (offset == t.end() && t.isId())) {
                found = i;
            }
        }
        return found;
    }

    /** The index of the last token that ends at or before {@code offset}, or -1. */
    int before(int offset) {
        int found = -1;
        for (int i = 0; i < list.size() && list.get(i).end() <= offset; i++) {
            found = i;
        }
        return found;
    }
}
