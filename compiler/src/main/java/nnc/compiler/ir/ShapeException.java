package nnc.compiler.ir;

/**
 * An op's shape rule rejecting its inputs: a user mistake, reported by the pass that built
 * the node at the span of the layer that asked for it. Carries an optional hint.
 */
public final class ShapeException extends Exception {
    private final String hint;
    private final nnc.compiler.diag.Span span;

    public ShapeException(String message) {
        this(message, null);
    }

    public ShapeException(String message, String hint) {
        this(message, hint, null);
    }

    /** A mistake located more precisely than the layer call (an argument, say). */
    public ShapeException(String message, String hint, nnc.compiler.diag.Span span) {
        super(message, null, false, false);
        this.hint = hint;
        this.span = span;
    }

    public String hint() {
        return hint;
    }

    /** Where to point, or null for the layer call. */
    public nnc.compiler.diag.Span span() {
        return span;
    }
}
