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

    /**
     * What a target value must be for this objective, when {@code t} is not that (class indices
     * for {@link #CLASSIFY}, values in [0, 1] for {@link #BINARY}); null when {@code t} is fine.
     */
    public String targetProblem(float t) {
        if (this == CLASSIFY && (t < 0 || t != Math.rint(t))) {
            return "class indices (whole numbers >= 0)";
        }
        if (this == BINARY && !(t >= 0 && t <= 1)) {
            return "targets in [0, 1]";
        }
        return null;
    }
}
