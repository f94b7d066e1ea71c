package nnc.runtime.model;

/**
 * A prediction's input that is NaN or infinite, or that the model's preprocessing takes past
 * the float range: refused, because it would come out as NaN probabilities or as a class that
 * looks like an answer. {@link #sample()} and {@link #value()} say where it is.
 */
public final class NonFiniteInputException extends IllegalArgumentException {
    private final int sample;
    private final int value;

    NonFiniteInputException(String message, int sample, int value) {
        super(message);
        this.sample = sample;
        this.value = value;
    }

    /** The sample of the call (0 for the first). */
    public int sample() {
        return sample;
    }

    /** The position in that sample's input (0 for the first value). */
    public int value() {
        return value;
    }
}
