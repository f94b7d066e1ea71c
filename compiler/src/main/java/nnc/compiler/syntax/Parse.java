package nnc.compiler.syntax;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import nnc.compiler.Limits;
import nnc.compiler.diag.DiagnosticPrinter;
import nnc.compiler.diag.Diagnostics;
import nnc.compiler.diag.SourceFile;
import nnc.compiler.diag.Span;
import nnc.grammar.NnLexer;
import nnc.grammar.NnParser;
import org.antlr.v4.runtime.BailErrorStrategy;
import org.antlr.v4.runtime.BaseErrorListener;
import org.antlr.v4.runtime.DefaultErrorStrategy;
import org.antlr.v4.runtime.CharStreams;
import org.antlr.v4.runtime.CommonTokenStream;
import org.antlr.v4.runtime.RecognitionException;
import org.antlr.v4.runtime.Recognizer;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.atn.PredictionMode;
import org.antlr.v4.runtime.misc.ParseCancellationException;

/**
 * The first pass: text to {@link Ast.Program}. ANTLR's error recovery lets one run report
 * several syntax errors; its messages are rephrased as expectations ("expected ')' ...")
 * with the offending token underlined. Returns null when there were syntax errors.
 */
public final class Parse {
    private Parse() {
    }

    public static Ast.Program run(SourceFile source, Diagnostics diags) {
        if (source.text().length() > Limits.MAX_SOURCE_BYTES) {
            diags.error(new Span(0, 0), "the source is longer than " + Limits.count(Limits.MAX_SOURCE_BYTES) + " characters");
            return null;
        }
        NnLexer lexer = new NnLexer(CharStreams.fromString(source.text(), source.path()));
        lexer.removeErrorListeners();
        NewlineFilter tokens = new NewlineFilter(lexer);
        if (tokens.pastLimit() != null) {
            Token t = tokens.pastLimit();
            diags.error(new Span(t.getStartIndex(), t.getStopIndex() + 1), tokens.limitMessage(),
                    tokens.limitHint());
            return null;
        }
        CommonTokenStream stream = new CommonTokenStream(tokens);
        NnParser parser = new NnParser(stream);
        parser.removeErrorListeners();
        List<int[]> seen = new ArrayList<>();
        BaseErrorListener listener = new BaseErrorListener() {
            @Override
            public void syntaxError(Recognizer<?, ?> recognizer, Object offending, int line, int col,
                                    String msg, RecognitionException e) {
                if (seen.size() >= Limits.MAX_SYNTAX_ERRORS) {
                    return;
                }
                Token t = (Token) offending;
                Span span = t == null ? Span.NONE : spanOf(t, (org.antlr.v4.runtime.TokenStream) recognizer.getInputStream());
                // ANTLR often reports one mistake twice at the same token; keep the first.
                for (int[] s : seen) {
                    if (s[0] == span.start()) {
                        return;
                    }
                }
                seen.add(new int[] {span.start()});
                diags.error(span, rephrase(msg, t));
            }
        };
        // Two stages, as ANTLR advises: the fast SLL prediction, which suffices for correct files;
        // on a syntax error, again with full LL and error recovery, for the messages.
        parser.getInterpreter().setPredictionMode(PredictionMode.SLL);
        parser.setErrorHandler(new BailErrorStrategy());
        NnParser.ProgramContext tree;
        try {
            tree = parser.program();
        } catch (ParseCancellationException e) {
            stream.seek(0);
            parser.reset();
            parser.getInterpreter().setPredictionMode(PredictionMode.LL);
            parser.setErrorHandler(new DefaultErrorStrategy());
            parser.addErrorListener(listener);
            tree = parser.program();
        }
        if (diags.hasErrors()) {
            return null;
        }
        return AstBuilder.program(tree);
    }

    /** The token's span; for the end of the file, just after the last token (not a trailing comment). */
    private static Span spanOf(Token t, org.antlr.v4.runtime.TokenStream tokens) {
        if (t.getType() == Token.EOF) {
            for (int i = t.getTokenIndex() - 1; i >= 0; i--) {
                Token prev = tokens.get(i);
                if (prev.getType() != NnLexer.NL) {
                    return new Span(prev.getStopIndex() + 1, prev.getStopIndex() + 1);
                }
            }
            return new Span(0, 0);
        }
        return new Span(t.getStartIndex(), t.getStopIndex() + 1);
    }

    private static final Pattern MISSING = Pattern.compile("missing (.+) at (.+)");
    private static final Pattern MISMATCHED = Pattern.compile("(?:mismatched|extraneous) input (.+) expecting (.+)");

    /** ANTLR's wording, turned into what the user should write. */
    static String rephrase(String msg, Token offending) {
        String found = describe(offending);
        Matcher m = MISSING.matcher(msg);
        if (m.matches()) {
            return "expected " + expected(m.group(1)) + " before " + found;
        }
        m = MISMATCHED.matcher(msg);
        if (m.matches()) {
            return "unexpected " + found + "; expected " + expected(m.group(2));
        }
        return "unexpected " + found;
    }

    static String describe(Token t) {
        if (t == null || t.getType() == Token.EOF) {
            return "end of file";
        }
        if (t.getType() == NnLexer.NL) {
            return t.getText().equals(";") ? "';'" : "end of line";
        }
        return quote(t.getText());
    }

    /** Token text for a message: an invisible character by its code, a long token cut short. */
    static String quote(String text) {
        if (text.length() == 1 && (DiagnosticPrinter.isInvisible(text.charAt(0)) || Character.isWhitespace(text.charAt(0)))) {
            return String.format("character U+%04X", (int) text.charAt(0));
        }
        if (text.length() == 1 && Character.isSurrogate(text.charAt(0))) {
            return String.format("character U+%04X (half of a surrogate pair)", (int) text.charAt(0));
        }
        String shown = text.length() > 40 ? text.substring(0, 37) + "..." : text;
        StringBuilder b = new StringBuilder("'");
        for (char c : shown.toCharArray()) {
            b.append(DiagnosticPrinter.isInvisible(c) ? '?' : c);
        }
        return b.append('\'').toString();
    }

    private static String expected(String antlrSet) {
        String s = antlrSet.trim();
        if (s.startsWith("{") && s.endsWith("}")) {
            String[] items = s.substring(1, s.length() - 1).split(",\\s*");
            List<String> names = new ArrayList<>();
            for (String item : items) {
                names.add(tokenName(item));
            }
            if (names.size() == 1) {
                return names.get(0);
            }
            return "one of " + String.join(", ", names);
        }
        return tokenName(s);
    }

    private static String tokenName(String item) {
        return switch (item) {
            case "NL" -> "end of line";
            case "ID" -> "a name";
            case "NUMBER" -> "a number";
            case "STRING" -> "a string";
            case "<EOF>" -> "end of file";
            default -> item;
        };
    }
}
