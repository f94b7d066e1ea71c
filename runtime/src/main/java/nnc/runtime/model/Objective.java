package nnc.runtime.model;

/** What a model's output is trained to be; decides the target layout and the metrics. */
public enum Objective {
    /** Logits or probabilities over classes; the target is one class index per sample. */
    CLASSIFY,
    /** Independent yes/no outputs; targets are 0 or 1 per output. */
    BINARY,
    /** Real-valued outputs; targets are values per output. */
    REGRESS,
    /** No training declared: inference only. */
    NONE;

    public boolean hasAccuracy() {
        return this == CLASSIFY || this == BINARY;
    }
}
