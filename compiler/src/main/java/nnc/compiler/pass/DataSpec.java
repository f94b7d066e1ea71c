package nnc.compiler.pass;

import nnc.compiler.diag.Span;

/**
 * A checked {@code data} declaration: where samples come from and the transforms on them.
 *
 * @param mean          normalisation means: one for every channel, or one per channel; null for none
 * @param std           standard deviations, as {@code mean}
 * @param normalizeSpan where {@code normalize(...)} is written, or {@link Span#NONE}
 * @param cropPad       random-crop padding in pixels (0 for none)
 */
public record DataSpec(String name, Source source, float[] mean, float[] std, Span normalizeSpan, int cropPad,
                       boolean hflip, Span span) {
    /** Where samples come from. */
    public sealed interface Source {
        Span span();
    }

    /** MNIST-layout IDX files: a known dataset name or a folder. */
    public record Idx(String dataset, Span span) implements Source {
    }

    /** CIFAR-10 binary batches: a known dataset name or a folder. */
    public record Cifar(String dataset, Span span) implements Source {
    }

    /**
     * A CSV file of numbers, one sample per row, the last {@code targets} columns being the
     * target; {@code testFraction} of the rows (the last ones) form the test set.
     */
    public record Csv(String path, int targets, double testFraction, Span span) implements Source {
    }

    public boolean normalizes() {
        return mean != null;
    }

    public boolean augments() {
        return cropPad > 0 || hflip;
    }
}
