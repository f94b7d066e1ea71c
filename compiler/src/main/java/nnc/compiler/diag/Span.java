package nnc.compiler.diag;

/**
 * A range of characters {@code [start, end)} in one source file. Every AST node and every
 * IR node carries one, so an error found in any pass points at the text that caused it.
 */
public record Span(int start, int end) {
    public static final Span NONE = new Span(-1, -1);

    public Span {
        if (start >= 0 && end < start) {
            throw new IllegalArgumentException("span end " + end + " before start " + start);
        }
    }

    public boolean isKnown() {
        return start >= 0;
    }

    /** The smallest span covering both. */
    public Span to(Span other) {
        if (!isKnown()) {
            return other;
        }
        if (!other.isKnown()) {
            return this;
        }
        return new Span(Math.min(start, other.start), Math.max(end, other.end));
    }
}
