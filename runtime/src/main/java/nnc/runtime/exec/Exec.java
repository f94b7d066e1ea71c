package nnc.runtime.exec;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Runs kernels on a fixed set of threads: the caller plus {@code threads - 1} workers.
 *
 * <p>{@link #run} hands out task indices through one atomic counter, so a noisy neighbour on
 * one core does not stall the other. The counter carries the job's generation in its high
 * half, so a worker that is late cannot claim an index of a newer job with an older task;
 * results stay deterministic because each index computes a fixed piece of the output (see
 * {@link Task}). Nothing is allocated per call: workers spin
 * for up to {@value #SPIN_NANOS} ns between kernels (a training step issues them back to
 * back), then park. The words the threads synchronise on sit on cache lines of their own.
 *
 * <p>An {@code Exec} belongs to one caller thread at a time. Code that runs models from many
 * threads gives each thread its own (sequential) {@code Exec}.
 */
public final class Exec implements AutoCloseable {
    /**
     * How long an idle worker spins before it parks, and how long the caller spins waiting
     * for workers before it yields: a time, not an iteration count, so how long a worker
     * stays ready does not depend on how fast the spin loop happens to run.
     */
    private static final long SPIN_NANOS = 2_000_000L;

    private final int threads;
    private final Workspace[] workspaces;
    private final Thread[] workers;
    /** Reusable task objects of kernel calls, by task slot; see {@link #newTaskSlot()}. */
    private Object[] tasks = new Object[16];

    private volatile Task task;
    private volatile int taskCount;
    private volatile boolean closed;
    private volatile Throwable failure;

    /**
     * The three words the threads hand work over with, each alone on its cache line (and
     * away from the array's ends, so no other object shares those lines): the job's
     * generation, which idle workers spin on; the next index to claim; how many are done.
     */
    private final long[] sync = new long[5 * LINE];
    private static final int LINE = 8;
    private static final int GENERATION = LINE, NEXT = 2 * LINE, FINISHED = 3 * LINE;
    private static final VarHandle CELL = MethodHandles.arrayElementVarHandle(long[].class);

    private long generation() {
        return (long) CELL.getVolatile(sync, GENERATION);
    }

    private Exec(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }
        this.threads = threads;
        this.workspaces = new Workspace[threads];
        for (int i = 0; i < threads; i++) {
            workspaces[i] = new Workspace();
        }
        this.workers = new Thread[threads - 1];
        for (int w = 1; w < threads; w++) {
            int id = w;
            Thread t = new Thread(() -> workerLoop(id), "nnc-worker-" + w);
            t.setDaemon(true);
            workers[w - 1] = t;
            t.start();
        }
    }

    /** Runs everything on the calling thread. */
    public static Exec sequential() {
        return new Exec(1);
    }

    /** The caller plus {@code threads - 1} worker threads. */
    public static Exec threads(int threads) {
        return new Exec(threads);
    }

    /** One thread per available processor. */
    public static Exec allCores() {
        return new Exec(Runtime.getRuntime().availableProcessors());
    }

    public int threads() {
        return threads;
    }

    /** The ids of the worker threads (not the caller's), for per-thread measurements. */
    public long[] workerThreadIds() {
        long[] ids = new long[workers.length];
        for (int i = 0; i < workers.length; i++) {
            ids[i] = workers[i].threadId();
        }
        return ids;
    }

    public Workspace workspace(int worker) {
        return workspaces[worker];
    }

    /**
     * The task object a kernel keeps in {@code slot} of this exec (null before its first
     * call); see {@link TaskSlot}, which keys slots by kernel and owner.
     */
    Object task(int slot) {
        return slot < tasks.length ? tasks[slot] : null;
    }

    void setTask(int slot, Object task) {
        if (slot >= tasks.length) {
            tasks = java.util.Arrays.copyOf(tasks, Math.max(slot + 1, 2 * tasks.length));
        }
        tasks[slot] = task;
    }

    private static final AtomicInteger TASK_SLOTS = new AtomicInteger();

    /** A new task slot: a place in every exec for one kernel's reusable {@link Task}. */
    static int newTaskSlot() {
        return TASK_SLOTS.getAndIncrement();
    }

    /** Runs {@code task} for every index in {@code [0, tasks)} and returns when all are done. */
    public void run(int tasks, Task task) {
        if (tasks <= 0) {
            return;
        }
        if (threads == 1 || tasks == 1) {
            for (int i = 0; i < tasks; i++) {
                task.run(i, 0);
            }
            return;
        }
        if (closed) {
            throw new IllegalStateException("Exec is closed");
        }
        long gen = generation() + 1;
        // The counter moves to the new generation first: a worker still holding the previous
        // generation could otherwise read this job's task and count, find the old counter
        // (generation matching, index = the old count) and claim an index of this job with it.
        CELL.setVolatile(sync, NEXT, gen << 32);
        this.failure = null;
        this.task = task;
        this.taskCount = tasks;
        CELL.setVolatile(sync, FINISHED, 0L);
        CELL.setVolatile(sync, GENERATION, gen);
        for (Thread w : workers) {
            LockSupport.unpark(w);
        }
        drain(task, tasks, gen, 0);
        int spins = 0;
        long waitStart = 0;
        while ((long) CELL.getVolatile(sync, FINISHED) < tasks) {
            if ((++spins & 63) != 0) {
                Thread.onSpinWait();
            } else if (waitStart == 0) {
                waitStart = System.nanoTime();
            } else if (System.nanoTime() - waitStart > SPIN_NANOS) {
                Thread.yield();
            }
        }
        this.task = null;
        Throwable f = failure;
        if (f != null) {
            if (f instanceof RuntimeException r) {
                throw r;
            }
            if (f instanceof Error e) {
                throw e;
            }
            throw new IllegalStateException(f);
        }
    }

    private void drain(Task t, int tasks, long gen, int worker) {
        while (true) {
            long v = (long) CELL.getVolatile(sync, NEXT);
            int i = (int) v;
            if ((v >>> 32) != gen || i >= tasks) {
                return;
            }
            if (!CELL.compareAndSet(sync, NEXT, v, v + 1)) {
                continue;
            }
            try {
                t.run(i, worker);
            } catch (Throwable e) {
                if (failure == null) {
                    failure = e;
                }
            } finally {
                CELL.getAndAdd(sync, FINISHED, 1L);
            }
        }
    }

    private void workerLoop(int id) {
        long seen = 0;
        while (!closed) {
            long g = generation();
            if (g == seen) {
                int spins = 0;
                long idleStart = System.nanoTime();
                while (generation() == seen && !closed) {
                    if ((++spins & 63) != 0 || System.nanoTime() - idleStart < SPIN_NANOS) {
                        Thread.onSpinWait();
                    } else {
                        LockSupport.park(this);
                    }
                }
                continue;
            }
            seen = g;
            Task t = task;
            int count = taskCount;
            if (t != null) {
                drain(t, count, g, id);
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        for (Thread w : workers) {
            LockSupport.unpark(w);
        }
    }
}
