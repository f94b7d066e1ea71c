package nnc.runtime.exec;

/**
 * One parallel job: {@link #run} is called once for every index in {@code [0, tasks)}, each
 * index on exactly one thread. What an index computes must not depend on which thread runs
 * it; that is what keeps results the same for a fixed partition whatever the scheduling.
 */
@FunctionalInterface
public interface Task {
    /**
     * @param index  the piece of work, {@code 0 <= index < tasks}
     * @param worker the thread running it, {@code 0 <= worker < exec.threads()}; use it to pick
     *               a per-thread {@link Workspace}, never to decide what is computed
     */
    void run(int index, int worker);
}
