package nnc.runtime.serve;

/** An input that cannot be used (unreadable, the wrong size, not a format nnc reads): a user error. */
public final class InputException extends Exception {
    public InputException(String message) {
        super(message, null, false, false);
    }
}
