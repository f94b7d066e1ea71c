package nnc.compiler.data;

/** A dataset that could not be found or fetched; {@code hint} says what to do instead. */
public final class FetchException extends Exception {
    private final String hint;

    public FetchException(String message, String hint) {
        super(message, null, false, false);
        this.hint = hint;
    }

    public String hint() {
        return hint;
    }
}
