package nnc.compiler.diag;

/**
 * A mistake in the user's input, found by some pass: where, what, and optionally how to fix
 * it. Mistakes are collected, never thrown across passes.
 *
 * @param hint a suggestion shown under the caret, or null
 */
public record Diagnostic(Severity severity, Span span, String message, String hint) {
    public enum Severity {
        ERROR, WARNING;

        public String label() {
            return this == ERROR ? "error" : "warning";
        }
    }
}
