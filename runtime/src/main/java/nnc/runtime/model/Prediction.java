package nnc.runtime.model;

import java.util.ArrayList;
import java.util.List;

/**
 * A classifier's answer for one sample: the most probable class, its probability and every
 * class's probability (the softmax of the model's scores, applied once).
 */
public final class Prediction {
    private final float[] probabilities;
    private final int index;
    private final Serving serving;

    /** @param probabilities one per class; kept, not copied */
    Prediction(float[] probabilities, Serving serving) {
        this.probabilities = probabilities;
        this.serving = serving;
        int best = 0;
        for (int i = 1; i < probabilities.length; i++) {
            if (probabilities[i] > probabilities[best]) {
                best = i;
            }
        }
        this.index = best;
    }

    /** The index of the most probable class (the first of equals). */
    public int index() {
        return index;
    }

    /** The name of the most probable class: its label when the data names classes, else its index. */
    public String label() {
        return serving.label(index);
    }

    public float probability() {
        return probabilities[index];
    }

    /** Every class's probability, by class index (the array itself, not a copy). */
    public float[] probabilities() {
        return probabilities;
    }

    /** One class and its probability. */
    public record Scored(int index, String label, float probability) {
    }

    /** The {@code k} most probable classes, most probable first (ties: lower index first). */
    public List<Scored> top(int k) {
        if (k < 1) {
            throw new IllegalArgumentException("top k needs k >= 1, got " + k);
        }
        List<Scored> out = new ArrayList<>();
        boolean[] taken = new boolean[probabilities.length];
        for (int r = 0; r < Math.min(k, probabilities.length); r++) {
            int best = -1;
            for (int i = 0; i < probabilities.length; i++) {
                if (!taken[i] && (best < 0 || probabilities[i] > probabilities[best])) {
                    best = i;
                }
            }
            taken[best] = true;
            out.add(new Scored(best, serving.label(best), probabilities[best]));
        }
        return out;
    }

    @Override
    public String toString() {
        return "class " + label() + " (probability " + probability() + ")";
    }
}
