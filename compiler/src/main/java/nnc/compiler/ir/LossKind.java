package nnc.compiler.ir;

import nnc.runtime.model.Objective;

/** The losses a .nn file can name, and what each makes of the model's output. */
public enum LossKind {
    CROSS_ENTROPY("cross_entropy", Objective.CLASSIFY),
    BINARY_CROSS_ENTROPY("binary_cross_entropy", Objective.BINARY),
    MSE("mse", Objective.REGRESS);

    private final String word;
    private final Objective objective;

    LossKind(String word, Objective objective) {
        this.word = word;
        this.objective = objective;
    }

    /** The name in a .nn file. */
    public String word() {
        return word;
    }

    /** How predictions are read: classes, binary labels or values. */
    public Objective objective() {
        return objective;
    }

    /** The kind a .nn file names {@code word}, or null. */
    public static LossKind of(String word) {
        for (LossKind k : values()) {
            if (k.word.equals(word)) {
                return k;
            }
        }
        return null;
    }
}
