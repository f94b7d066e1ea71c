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

    public static String render(SourceFile src, Diagnostic d) {
        StringBuilder out = new StringBuilder();
        out.append(src.position(d.span())).append(": ").append(d.severity().label()).append(": ")
                .append(d.message()).append('\n');
        if (d.span().isKnown() && !src.text().isEmpty()) {
            int start = Math.min(d.span().start(), src.text().length());
            int line = src.line(start);
            String text = src.lineText(line);
            String number = String.valueOf(line);
            String gutter = " ".repeat(number.length());
            out.append(' ').append(number).append(" | ").append(text.replace('\t', ' ')).append('\n');
            int col = src.column(start);
            int endOnLine = Math.min(d.span().end(), start + Math.max(0, text.length() - col + 1));
            int width = Math.max(1, endOnLine - start);
            out.append(' ').append(gutter).append(" | ").append(" ".repeat(Math.max(0, col - 1)))
                    .append('^').append("~".repeat(width - 1)).append('\n');
            if (d.hint() != null) {
                out.append(' ').append(gutter).append(" = hint: ").append(d.hint()).append('\n');
            }
        } else if (d.hint() != null) {
            out.append("  = hint: ").append(d.hint()).append('\n');
        }
        return out.toString();
    }

    public static String render(SourceFile src, List<Diagnostic> ds) {
        StringBuilder out = new StringBuilder();
        for (Diagnostic d : ds) {
            out.append(render(src, d));
        }
        return out.toString();
    }
}
