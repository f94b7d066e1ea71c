package nnc.compiler.lsp;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import nnc.compiler.lsp.Tokens.Tok;

/**
 * The canonical layout of the samples, applied to indentation only (a formatter that never
 * moves a token within a line cannot change what a file means, and keeps hand-aligned
 * settings and shape assertions):
 *
 * <ul>
 *   <li>a statement or setting is indented four spaces per enclosing brace; a closing brace
 *       goes back to its opening line's indentation;</li>
 *   <li>a line that continues a pipeline ({@code ->}, {@code |}, {@code +} first) lines up
 *       with the statement's first {@code ->} or {@code |}, else two spaces in;</li>
 *   <li>a line after one ending in an operator or comma is indented four spaces in;</li>
 *   <li>lines inside parentheses or brackets (argument lists, weight matrices), comment-only
 *       lines and blank lines keep their indentation (blank lines lose trailing blanks);</li>
 *   <li>trailing blanks are removed, runs of blank lines become one, the file ends with one
 *       line break.</li>
 * </ul>
 */
final class Formatter {
    private static final Set<String> CONTINUES_BEFORE = Set.of("->", "|", "+");
    private static final Set<String> CONTINUES_AFTER = Set.of(",", "->", "=", "+", "-", "*", "/", "|", ":");

    private Formatter() {
    }

    static String format(String text) {
        String[] lines = text.split("\r?\n", -1);
        List<List<Tok>> byLine = tokensByLine(text, lines.length);
        StringBuilder out = new StringBuilder();
        int braces = 0;
        int parens = 0;
        int anchor = -1;
        Tok lastOfPrevious = null;
        boolean previousBlank = true;
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].stripTrailing();
            List<Tok> toks = byLine.get(i);
            if (line.isBlank()) {
                if (!previousBlank && i < lines.length - 1) {
                    out.append('\n');
                }
                previousBlank = true;
                continue;
            }
            previousBlank = false;
            String body = line.stripLeading();
            String indented;
            if (toks.isEmpty() || parens > 0) {
                indented = line;
            } else {
                Tok first = toks.get(0);
                int depth = first.is("}") ? braces - 1 : braces;
                if (CONTINUES_BEFORE.contains(first.text())) {
                    indented = " ".repeat(anchor >= 0 ? anchor : 4 * depth + 2) + body;
                } else if (lastOfPrevious != null && CONTINUES_AFTER.contains(lastOfPrevious.text())) {
                    indented = " ".repeat(4 * depth + 4) + body;
                } else {
                    indented = " ".repeat(4 * Math.max(0, depth)) + body;
                    anchor = anchorColumn(indented, toks, line.length() - body.length());
                }
            }
            out.append(indented).append('\n');
            for (Tok t : toks) {
                if (t.is("{")) {
                    braces++;
                } else if (t.is("}")) {
                    braces = Math.max(0, braces - 1);
                } else if (t.is("(") || t.is("[")) {
                    parens++;
                } else if (t.is(")") || t.is("]")) {
                    parens = Math.max(0, parens - 1);
                }
            }
            if (!toks.isEmpty()) {
                lastOfPrevious = toks.get(toks.size() - 1);
            }
        }
        while (out.length() > 1 && out.charAt(out.length() - 1) == '\n' && out.charAt(out.length() - 2) == '\n') {
            out.setLength(out.length() - 1);
        }
        return out.toString();
    }

    /** The column of a statement line's first {@code ->} or {@code |} after re-indenting, or -1. */
    private static int anchorColumn(String indented, List<Tok> toks, int oldIndent) {
        int shift = (indented.length() - indented.stripLeading().length()) - oldIndent;
        for (Tok t : toks) {
            if (t.is("->") || t.is("|")) {
                return t.column() + shift;
            }
        }
        return -1;
    }

    private static List<List<Tok>> tokensByLine(String text, int lineCount) {
        List<List<Tok>> out = new ArrayList<>();
        for (int i = 0; i < lineCount; i++) {
            out.add(new ArrayList<>());
        }
        for (Tok t : Tokens.of(text).list()) {
            if (!t.isNewline() && t.line() - 1 < lineCount) {
                out.get(t.line() - 1).add(t);
            }
        }
        return out;
    }
}
