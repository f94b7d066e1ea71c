package nnc.compiler.cli;

/**
 * A mistake in the user's input or environment (exit code 1). The message is printed as is:
 * diagnostics have been printed already when it is empty.
 */
public final class UserError extends RuntimeException {
    public UserError(String message) {
        super(message, null, false, false);
    }
}
