package nnc.compiler.lsp;

import nnc.compiler.CompileResult;
import nnc.compiler.NncCompiler;
import nnc.compiler.diag.SourceFile;
import nnc.compiler.diag.Span;
import org.eclipse.lsp4j.Position;
import org.eclipse.lsp4j.Range;

/**
 * One version of a document with everything the features read: the check's diagnostics and
 * analysis, the token outline and the shape index. Immutable; a document keeps only its
 * newest snapshot.
 *
 * <p>Positions: LSP counts lines and UTF-16 code units from 0, as Java strings index. Offsets
 * become lines and columns through {@link SourceFile}; the inverse is here.
 */
record Snapshot(int revision, int version, SourceFile source, CompileResult result, String failure, Outline outline,
                ShapeIndex shapes) {

    /** Checks one version of a text; a failure of nnc itself is kept as {@code failure}, never thrown. */
    static Snapshot check(int revision, int version, SourceFile source) {
        Outline outline = Outline.of(source.text());
        try {
            CompileResult r = NncCompiler.check(source);
            return new Snapshot(revision, version, source, r, null, outline, ShapeIndex.of(r.analysis()));
        } catch (StackOverflowError e) {
            return failed(revision, version, source, outline, "the text is nested too deeply to check");
        } catch (RuntimeException | Error e) {
            Log.error("checking " + source.path() + " failed", e);
            return failed(revision, version, source, outline,
                    "internal error in nnc while checking this file (a bug; please report it): " + e);
        }
    }

    private static Snapshot failed(int revision, int version, SourceFile source, Outline outline, String why) {
        return new Snapshot(revision, version, source, null, why, outline, ShapeIndex.of(null));
    }

    String text() {
        return source.text();
    }

    Position position(int offset) {
        int at = Math.max(0, Math.min(offset, text().length()));
        return new Position(source.line(at) - 1, source.column(at) - 1);
    }

    /** The range of a span; an unknown span is the start of the file. */
    Range range(Span span) {
        if (!span.isKnown()) {
            return new Range(new Position(0, 0), new Position(0, 0));
        }
        return new Range(position(span.start()), position(Math.max(span.start(), span.end())));
    }

    /** The offset of an LSP position, clamped to the text (a position past a line's end is its end). */
    int offset(Position p) {
        return offset(text(), p);
    }

    static int offset(String text, Position p) {
        int line = 0;
        int i = 0;
        while (line < p.getLine() && i < text.length()) {
            int nl = text.indexOf('\n', i);
            if (nl < 0) {
                return text.length();
            }
            i = nl + 1;
            line++;
        }
        if (line < p.getLine()) {
            return text.length();
        }
        int lineEnd = text.indexOf('\n', i);
        lineEnd = lineEnd < 0 ? text.length() : lineEnd;
        return Math.min(i + Math.max(0, p.getCharacter()), lineEnd);
    }
}
