package nnc.runtime.exec;

import java.util.Arrays;
import java.util.function.BiFunction;

/**
 * Where a kernel keeps its reusable {@link Task}: one object per exec and owner, made on first
 * use. A kernel call fills in the task's fields (its arguments) and runs it, so calls in steady
 * state allocate nothing. The owner is what the task computes with, normally a kernel
 * backend: a scalar and a SIMD facade used on the same exec each get their own task, instead
 * of the second silently running the first one's kernels.
 *
 * @param <O> the owner, passed to the factory
 * @param <T> the task
 */
public final class TaskSlot<O, T extends Task> {
    private record Entry(Object owner, int slot) {
    }

    private final BiFunction<Exec, O, T> make;
    /** Owners seen so far and their slots in every exec; replaced, never changed in place. */
    private volatile Entry[] entries = new Entry[0];

    /** @param make builds the task for an exec and owner, once per pair */
    public TaskSlot(BiFunction<Exec, O, T> make) {
        this.make = make;
    }

    /** The task of {@code owner} on {@code ex}, made on the first call. */
    @SuppressWarnings("unchecked")
    public T get(Exec ex, O owner) {
        int slot = slotOf(owner);
        Object t = ex.task(slot);
        if (t == null) {
            t = make.apply(ex, owner);
            ex.setTask(slot, t);
        }
        return (T) t;
    }

    private int slotOf(Object owner) {
        for (Entry e : entries) {
            if (e.owner == owner) {
                return e.slot;
            }
        }
        synchronized (this) {
            Entry[] now = entries;
            for (Entry e : now) {
                if (e.owner == owner) {
                    return e.slot;
                }
            }
            Entry added = new Entry(owner, Exec.newTaskSlot());
            Entry[] more = Arrays.copyOf(now, now.length + 1);
            more[now.length] = added;
            entries = more;
            return added.slot;
        }
    }
}
