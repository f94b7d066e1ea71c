package nnc.runtime.model;

/**
 * A prediction's input that is NaN or infinite, or that the model's preprocessing takes past
 * the float range: refused, because it would come out as NaN probabilities or as a class that
 * looks like an answer. {@link #sample()} and {@link #value()} say where it is.
 */
public final class NonFiniteInputException extends IllegalArgumentException {
    private final int sample;
    private final int value;
    private final String model;
    private final String reason;

    /** @param reason what is wrong with the value: "is NaN; inputs must be finite numbers", say */
    NonFiniteInputException(String model, int sample, int value, String reason) {
        super(model + ": input value " + value + " of sample " + sample + " " + reason);
        this.sample = sample;
        this.value = value;
        this.model = model;
        this.reason = reason;
    }

    /** The message for a caller that names the sample itself ("sample 2: " + this). */
    public String withoutSample() {
        return model + ": input value " + value + " " + reason;
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
