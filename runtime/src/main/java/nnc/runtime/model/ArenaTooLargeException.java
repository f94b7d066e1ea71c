package nnc.runtime.model;

import java.util.Locale;

/**
 * A batch whose arena (per-sample floats times the batch, plus the fixed part) is more than one
 * Java array holds: a choice of the user ({@code --batch}, a batch in the .nn file, a model with
 * huge activations), reported with the largest batch that fits, not an overflow.
 */
public final class ArenaTooLargeException extends IllegalArgumentException {
    /** What one Java array holds. */
    static final long MAX_FLOATS = Integer.MAX_VALUE - 8;

    private final int largest;

    private ArenaTooLargeException(String message, int largest) {
        super(message, null);
        this.largest = largest;
    }

    /** The largest batch whose arena fits (0 when not even one sample's does). */
    public int largest() {
        return largest;
    }

    /** The arena's size in floats for {@code rows}; {@code what} ("training", "inference") names it in the message. */
    public static int arenaFloats(String what, long perSample, long rows, long fixed) {
        long floats = perSample * rows + fixed; // each factor is below 2^31: no long overflow
        if (floats <= MAX_FLOATS) {
            return (int) floats;
        }
        int largest = (int) Math.max(0, Math.min(Integer.MAX_VALUE, (MAX_FLOATS - fixed) / Math.max(1, perSample)));
        throw new ArenaTooLargeException(String.format(Locale.ROOT, "the %s arena for a batch of %,d needs %,d floats "
                + "(%,d a sample), more than one Java array holds (%,d); %s", what, rows, floats, perSample, MAX_FLOATS,
                largest > 0 ? String.format(Locale.ROOT, "the largest batch that fits is %,d", largest)
                        : "not even one sample fits"), largest);
    }
}
