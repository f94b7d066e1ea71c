package nnc.compiler.syntax;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import nnc.compiler.Limits;
import nnc.grammar.NnLexer;
import org.antlr.v4.runtime.CharStream;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.TokenFactory;
import org.antlr.v4.runtime.TokenSource;

/**
 * Decides which line breaks end a statement, as Python's and Go's tokenizers do, so the
 * grammar can treat NL as a plain separator. A newline is dropped when:
 *
 * <ul>
 *   <li>it is inside parentheses or brackets (a long argument list or weight matrix);</li>
 *   <li>it is outside any braces (between declarations, which start with keywords);</li>
 *   <li>the line ends with an operator, comma, {@code =}, {@code :}, {@code ->}, {@code |}
 *       or {@code {} (the statement obviously goes on);</li>
 *   <li>the next line starts with {@code ->}, {@code |}, {@code +} or {@code }} (a
 *       continuation, or the end of the block);</li>
 *   <li>it follows another newline (blank and comment lines).</li>
 * </ul>
 *
 * <p>It also bounds how deep the parser will recurse, before the parser runs: brackets open
 * at once ({@link Limits#MAX_NESTING}) and operators and signs in one expression
 * ({@link Limits#MAX_OPERATORS}, since {@code 1 + 1 + ...} and {@code - - 1} nest in the tree
 * as brackets do), and the number of tokens ({@link Limits#MAX_TOKENS}, which bounds the
 * memory of the parse); and the length of a name ({@link Limits#MAX_NAME}, which becomes Java
 * names and constants). Lexing stops at the first token past a limit; {@link #pastLimit} says where.
 */
final class NewlineFilter implements TokenSource {
    private static final Set<String> CONTINUES_AFTER = Set.of("{", ",", "->", "=", "+", "-", "*", "/", "|", ":", "(", "[");
    private static final Set<String> CONTINUES_BEFORE = Set.of("->", "|", "+", "}");

    private static final Set<String> OPERATORS = Set.of("+", "-", "*", "/");
    private static final Set<String> EXPRESSION_ENDS = Set.of(",", "->", "=", ":", "|");

    private final NnLexer lexer;
    private final List<Token> tokens = new ArrayList<>();
    private int next;
    private Token pastLimit;
    private String limitMessage;
    private String limitHint = "name parts of it, or write the value out";

    NewlineFilter(NnLexer lexer) {
        this.lexer = lexer;
        fill();
    }

    private void fill() {
        List<Token> raw = new ArrayList<>();
        Depth depth = new Depth();
        Token t;
        do {
            t = lexer.nextToken();
            if (raw.size() == Limits.MAX_TOKENS && t.getType() != Token.EOF) {
                depth.problem = "the file has more than " + Limits.count(Limits.MAX_TOKENS) + " tokens";
                limitHint = "large weights belong in a weights file (--weights), not in the .nn text";
            }
            if (t.getType() == NnLexer.ID && t.getText().length() > Limits.MAX_NAME && depth.problem == null) {
                depth.problem = "a name longer than " + Limits.MAX_NAME + " characters";
                limitHint = "shorten it";
            }
            if (t.getType() != Token.EOF && (depth.problem != null || depth.tooDeep(t))) {
                pastLimit = t;
                limitMessage = depth.problem;
                t = lexer.getTokenFactory().create(new org.antlr.v4.runtime.misc.Pair<>(lexer, lexer.getInputStream()),
                        Token.EOF, "<EOF>", Token.DEFAULT_CHANNEL, t.getStartIndex(), t.getStartIndex() - 1,
                        t.getLine(), t.getCharPositionInLine());
            }
            raw.add(t);
        } while (t.getType() != Token.EOF);

        Deque<String> brackets = new ArrayDeque<>();
        Token previous = null;
        for (int i = 0; i < raw.size(); i++) {
            Token tok = raw.get(i);
            String text = tok.getText();
            if (tok.getType() == NnLexer.NL) {
                if (keepNewline(brackets, previous, nextSignificant(raw, i))) {
                    tokens.add(tok);
                    previous = tok;
                }
                continue;
            }
            switch (text) {
                case "(", "[", "{" -> brackets.push(text);
                case ")", "]", "}" -> close(brackets, text);
                default -> {
                }
            }
            tokens.add(tok);
            previous = tok;
        }
    }

    /**
     * Pops the bracket that {@code closer} closes, with any left open inside it: in
     * {@code linear(10} then {@code }} on the next line, the brace closes the body and the
     * unclosed parenthesis with it, so the newlines after it are the top level's again (one
     * error, not one more per line that follows). A closer with no opener changes nothing.
     */
    private static void close(Deque<String> brackets, String closer) {
        String opener = switch (closer) {
            case ")" -> "(";
            case "]" -> "[";
            default -> "{";
        };
        if (brackets.contains(opener)) {
            while (!brackets.pop().equals(opener)) {
                // an unclosed bracket inside the one being closed
            }
        }
    }

    /** The first token past a limit (nesting, operators, tokens), or null. */
    Token pastLimit() {
        return pastLimit;
    }

    /** Which limit {@link #pastLimit} exceeds. */
    String limitMessage() {
        return limitMessage;
    }

    /** What to do about it. */
    String limitHint() {
        return limitHint;
    }

    /**
     * Tracks bracket depth and, per bracket level, the operators of the expression being
     * read. A line break only ends an expression when neither side of it is an operator (so
     * a long sum wrapped over lines is still one expression).
     */
    private static final class Depth {
        private final int[] operators = new int[Limits.MAX_NESTING + 2];
        private int level;
        private int total;
        private boolean afterNewline;
        private boolean afterOperator;
        String problem;

        boolean tooDeep(Token t) {
            String text = t.getText();
            if (t.getType() == NnLexer.NL && !text.equals(";")) {
                afterNewline = true;
                return false;
            }
            boolean operator = OPERATORS.contains(text);
            if (afterNewline && !afterOperator && !operator) {
                endExpression();
            }
            afterNewline = false;
            afterOperator = operator;
            switch (text) {
                case "(", "[", "{" -> {
                    if (level == Limits.MAX_NESTING) {
                        problem = "brackets nested deeper than " + Limits.MAX_NESTING;
                        return true;
                    }
                    operators[++level] = 0;
                }
                case ")", "]", "}" -> {
                    if (level > 0) {
                        total -= operators[level--];
                    }
                }
                case ";" -> endExpression();
                default -> {
                    if (operator && ++total > Limits.MAX_OPERATORS) {
                        problem = "more than " + Limits.MAX_OPERATORS + " operators and signs in one expression";
                        return true;
                    }
                    if (operator) {
                        operators[level]++;
                    } else if (EXPRESSION_ENDS.contains(text)) {
                        endExpression();
                    }
                }
            }
            return false;
        }

        private void endExpression() {
            total -= operators[level];
            operators[level] = 0;
        }
    }

    private static boolean keepNewline(Deque<String> brackets, Token previous, Token following) {
        if (brackets.isEmpty() || !brackets.peek().equals("{")) {
            return false;
        }
        if (previous == null || previous.getType() == NnLexer.NL || CONTINUES_AFTER.contains(previous.getText())) {
            return false;
        }
        return following.getType() != Token.EOF && !CONTINUES_BEFORE.contains(following.getText());
    }

    private static Token nextSignificant(List<Token> raw, int i) {
        for (int j = i + 1; j < raw.size(); j++) {
            if (raw.get(j).getType() != NnLexer.NL) {
                return raw.get(j);
            }
        }
        return raw.get(raw.size() - 1);
    }

    @Override
    public Token nextToken() {
        Token t = tokens.get(next);
        if (next < tokens.size() - 1) {
            next++;
        }
        return t;
    }

    @Override
    public int getLine() {
        return tokens.get(next).getLine();
    }

    @Override
    public int getCharPositionInLine() {
        return tokens.get(next).getCharPositionInLine();
    }

    @Override
    public CharStream getInputStream() {
        return lexer.getInputStream();
    }

    @Override
    public String getSourceName() {
        return lexer.getSourceName();
    }

    @Override
    public void setTokenFactory(TokenFactory<?> factory) {
        lexer.setTokenFactory(factory);
    }

    @Override
    public TokenFactory<?> getTokenFactory() {
        return lexer.getTokenFactory();
    }
}
