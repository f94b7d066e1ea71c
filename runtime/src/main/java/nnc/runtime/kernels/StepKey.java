package nnc.runtime.kernels;

/**
 * The dropout key of the current training step, shared by the dropout steps of one model's
 * kernels. The trainer sets it once per step; forward and backward read the same value, so
 * backward regenerates forward's mask.
 */
public final class StepKey {
    private int key;

    public int get() {
        return key;
    }

    public void set(int key) {
        this.key = key;
    }
}
