package nnc.compiler.diag;

import java.util.List;

/**
 * Renders diagnostics the way compilers do:
 *
 * <pre>
 * model.nn:12:9: error: linear expects a flat input, got [64, 5, 5]
 *    12 |     x -> conv2d(64, 3) -> linear(10)
 *       |                           ^~~~~~~~~~
 *       = hint: insert 'flatten' before 'linear'
 * </pre>
 */
public final class DiagnosticPrinter {
    private DiagnosticPrinter() {
    }

    /** Source lines longer than this are shown as a window around the caret. */
    static final int MAX_LINE = 200;
    /** Messages and hints longer than this (a huge name quoted, say) are cut in the middle. */
    static final int MAX_MESSAGE = 400;
    private static final String CUT = "...";

    public static String render(SourceFile src, Diagnostic d) {
        StringBuilder out = new StringBuilder();
        out.append(src.position(d.span())).append(": ").append(d.severity().label()).append(": ")
                .append(clip(d.message())).append('\n');
        if (d.span().isKnown() && !src.text().isEmpty()) {
            int start = Math.min(d.span().start(), src.text().length());
            int line = src.line(start);
            String text = src.lineText(line);
            String number = String.valueOf(line);
            String gutter = " ".repeat(number.length());
            int col = src.column(start);
            int endOnLine = Math.min(d.span().end(), start + Math.max(0, text.length() - col + 1));
            int width = Math.max(1, endOnLine - start);
            // A window of the line around the caret, so a 2 MB line prints as one screen line.
            int from = 0;
            int to = text.length();
            if (text.length() > MAX_LINE) {
                from = Math.max(0, Math.min(col - 1 - MAX_LINE / 2, text.length() - MAX_LINE));
                to = from + MAX_LINE;
            }
            String lead = from > 0 ? CUT : "";
            out.append(' ').append(number).append(" | ").append(lead).append(visible(text.substring(from, to)))
                    .append(to < text.length() ? CUT : "").append('\n');
            int caretAt = lead.length() + col - 1 - from;
            width = Math.max(1, Math.min(width, to - (col - 1)));
            out.append(' ').append(gutter).append(" | ").append(" ".repeat(Math.max(0, caretAt)))
                    .append('^').append("~".repeat(width - 1)).append('\n');
            if (d.hint() != null) {
                out.append(' ').append(gutter).append(" = hint: ").append(clip(d.hint())).append('\n');
            }
        } else if (d.hint() != null) {
            out.append("  = hint: ").append(clip(d.hint())).append('\n');
        }
        return out.toString();
    }

    /** The text with tabs as spaces and invisible characters (controls, byte-order marks) as '?'. */
    static String visible(String text) {
        StringBuilder b = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            b.append(c == '\t' ? ' ' : isInvisible(c) ? '?' : c);
        }
        return b.toString();
    }

    /** Control and format characters, which a terminal shows as nothing or garbles. */
    public static boolean isInvisible(char c) {
        return Character.isISOControl(c) || Character.getType(c) == Character.FORMAT;
    }

    private static String clip(String message) {
        if (message.length() <= MAX_MESSAGE) {
            return message;
        }
        int keep = (MAX_MESSAGE - CUT.length()) / 2;
        return message.substring(0, keep) + CUT + message.substring(message.length() - keep);
    }

    public static String render(SourceFile src, List<Diagnostic> ds) {
        StringBuilder out = new StringBuilder();
        for (Diagnostic d : ds) {
            out.append(render(src, d));
        }
        return out.toString();
    }
}
