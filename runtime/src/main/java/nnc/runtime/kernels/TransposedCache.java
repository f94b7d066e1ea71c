package nnc.runtime.kernels;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A model's {@link TransposedWeights}, one per weight matrix that asks, kept in step with the
 * parameters by a version number: every write to the parameters is followed by
 * {@link #invalidate()} (the model's {@code paramsChanged()}), and a lookup after that builds
 * the layout again from the parameters as they are then. Shared by every thread that predicts
 * with the model; a lookup in steady state is a few reads and allocates nothing.
 */
public final class TransposedCache {
    private final AtomicLong version = new AtomicLong();
    /** The matrices asked for, in the order first asked: a model has one or two. */
    private volatile Slot[] slots = new Slot[0];

    /** The parameters changed: every layout built before now is out of date. */
    public void invalidate() {
        version.incrementAndGet();
    }

    /** Drops every layout (the model was closed): the memory goes now, not with the model. */
    public void clear() {
        invalidate();
        slots = new Slot[0];
    }

    /** The layout of {@code W [out, k]} at {@code w[wOff ..]} (rows {@code ldw} apart) for the parameters as they are now. */
    public TransposedWeights get(float[] w, int wOff, int ldw, int out, int k) {
        Slot s = slot(w, wOff, ldw, out, k);
        long now = version.get();
        TransposedWeights t = s.current;
        if (t != null && t.version() >= now) {
            return t;
        }
        synchronized (s) {
            t = s.current;
            if (t == null || t.version() < now) {
                // Built from what params hold after `now` was read: a write after that bumps the
                // version again, so the next lookup rebuilds. A layout of a later version that
                // another thread stored meanwhile is kept (never replaced by an older one).
                t = TransposedWeights.of(w, wOff, ldw, out, k, now);
                s.current = t;
            }
            return t;
        }
    }

    private Slot slot(float[] w, int wOff, int ldw, int out, int k) {
        Slot s = find(w, wOff, ldw, out, k);
        if (s != null) {
            return s;
        }
        synchronized (this) {
            s = find(w, wOff, ldw, out, k);
            if (s == null) {
                s = new Slot(w, wOff, ldw, out, k);
                Slot[] more = java.util.Arrays.copyOf(slots, slots.length + 1);
                more[slots.length] = s;
                slots = more;
            }
            return s;
        }
    }

    private Slot find(float[] w, int wOff, int ldw, int out, int k) {
        for (Slot s : slots) {
            if (s.w == w && s.wOff == wOff && s.ldw == ldw && s.out == out && s.k == k) {
                return s;
            }
        }
        return null;
    }

    private static final class Slot {
        final float[] w;
        final int wOff, ldw, out, k;
        volatile TransposedWeights current;

        Slot(float[] w, int wOff, int ldw, int out, int k) {
            this.w = w;
            this.wOff = wOff;
            this.ldw = ldw;
            this.out = out;
            this.k = k;
        }
    }
}
