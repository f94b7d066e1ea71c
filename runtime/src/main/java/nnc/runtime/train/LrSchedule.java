package nnc.runtime.train;

/**
 * Learning-rate schedules, evaluated once per epoch. {@link #next} gets the metric being
 * watched (for {@link ReduceOnPlateau}) and returns the rate for the coming epoch.
 */
public sealed interface LrSchedule {
    /** The rate for epoch {@code epoch} (0-based) of {@code epochs}, given the base rate. */
    float rate(int epoch, int epochs, float base);

    /** Called after an epoch with the watched metric (lower is better); stateful schedules adapt. */
    default void observe(double metric) {
    }

    /** What a stateful schedule has learnt so far, for a checkpoint (empty when stateless). */
    default double[] state() {
        return new double[0];
    }

    /** Continues from a {@link #state()}. */
    default void restore(double[] state) {
        if (state.length != 0) {
            throw new IllegalArgumentException("this schedule has no state, got " + state.length + " values");
        }
    }

    record Constant() implements LrSchedule {
        @Override
        public float rate(int epoch, int epochs, float base) {
            return base;
        }
    }

    /** Multiply by {@code gamma} every {@code every} epochs ({@code torch StepLR}). */
    record Step(int every, float gamma) implements LrSchedule {
        @Override
        public float rate(int epoch, int epochs, float base) {
            return (float) (base * Math.pow(gamma, epoch / every));
        }
    }

    /**
     * Cosine annealing from the base rate to {@code min} over {@code span} epochs (0: over the
     * whole run).
     */
    record Cosine(int span, float min) implements LrSchedule {
        @Override
        public float rate(int epoch, int epochs, float base) {
            int over = span > 0 ? span : epochs;
            double t = Math.min(epoch, over) / (double) over;
            return (float) (min + (base - min) * 0.5 * (1 + Math.cos(Math.PI * t)));
        }
    }

    /**
     * Multiply by {@code factor} when the watched metric has not improved for {@code patience}
     * epochs ({@code torch ReduceLROnPlateau}).
     */
    final class ReduceOnPlateau implements LrSchedule {
        private final int patience;
        private final float factor;
        private double best = Double.POSITIVE_INFINITY;
        private int bad;
        private float scale = 1f;

        public ReduceOnPlateau(int patience, float factor) {
            this.patience = patience;
            this.factor = factor;
        }

        @Override
        public float rate(int epoch, int epochs, float base) {
            return base * scale;
        }

        @Override
        public void observe(double metric) {
            if (metric < best * (1 - 1e-4)) {
                best = metric;
                bad = 0;
            } else if (++bad > patience) {
                scale *= factor;
                bad = 0;
            }
        }

        @Override
        public double[] state() {
            return new double[] {best, bad, scale};
        }

        @Override
        public void restore(double[] state) {
            if (state.length != 3) {
                throw new IllegalArgumentException("reduce_on_plateau has 3 state values, got " + state.length);
            }
            best = state[0];
            bad = (int) state[1];
            scale = (float) state[2];
        }
    }
}
