package nnc.compiler;

/**
 * Every resource limit of the compiler, in one place. Each is checked before the work it
 * bounds, and reported as a diagnostic at the text that exceeds it, so no input can make nnc
 * overflow its stack, run out of memory, or generate Java that javac rejects. The values are
 * far above what a real model needs; docs/errors.md lists them.
 */
public final class Limits {
    private Limits() {
    }

    /** The largest .nn file read: bigger ones are rejected before they are read whole. */
    public static final int MAX_SOURCE_BYTES = 8 << 20;

    /**
     * Tokens of one file: the parse holds a few hundred bytes per token. Enough for a
     * 1000 x 600 weight matrix written out (1.2 million numbers and commas, and minus signs).
     */
    public static final int MAX_TOKENS = 2_000_000;

    /** Brackets ({@code ( [ {}) open at once. */
    public static final int MAX_NESTING = 64;

    /** Operators and signs in one expression (they nest like brackets in the syntax tree). */
    public static final int MAX_OPERATORS = 256;

    /** Blocks inlined inside each other. */
    public static final int MAX_BLOCK_DEPTH = 64;

    /** Layers of one model, blocks inlined: bounds the generated class (javac's limits). */
    public static final int MAX_LAYERS = 2_000;

    /** Values of one tensor, and floats of one array: what a Java array can hold. */
    public static final long MAX_ELEMENTS = Integer.MAX_VALUE - 8;

    /**
     * Characters of a name: a model's name is a Java class and file names (at most 255 bytes on
     * most file systems), a block's is part of each layer's path (64 deep within javac's 65,535-byte constants).
     */
    public static final int MAX_NAME = 128;

    /** Runs of one sweep (the product of its axes' value counts): each is a training run and a folder. */
    public static final int MAX_SWEEP_RUNS = 10_000;

    /** Syntax errors reported per file; later ones are usually consequences of the first. */
    public static final int MAX_SYNTAX_ERRORS = 20;

    /** {@code 1,234,567}: how limits and sizes are written in messages. */
    public static String count(long n) {
        return String.format(java.util.Locale.ROOT, "%,d", n);
    }
}
