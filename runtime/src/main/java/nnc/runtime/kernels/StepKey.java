package nnc.runtime.kernels;

/**
 * The dropout key of the current training step, shared by the dropout steps of one model's
 * kernels. The trainer sets it once per step; forward and backward read the same value, so
 * backward regenerates forward's mask.
 */
public final class StepKey {
    private int key;
    /** Where each row of this call sits in the whole batch, or null: where it is. */
    private int[] rows;

    public int get() {
        return key;
    }

    public void set(int key) {
        this.key = key;
    }

    /**
     * The rows' positions in the whole batch, when this call computes a share of it (a
     * data-parallel worker): the masks are then those the whole batch would draw for these
     * samples. Null: row i is row i.
     */
    public int[] rows() {
        return rows;
    }

    public void setRows(int[] rows) {
        this.rows = rows;
    }
}
