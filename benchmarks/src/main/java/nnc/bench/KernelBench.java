package nnc.bench;

import java.util.concurrent.TimeUnit;
import nnc.runtime.bench.Operands;
import nnc.runtime.exec.Exec;
import nnc.runtime.kernels.Kernels;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What every kernel benchmark shares (JMH reads these annotations and the tear-down from the
 * superclass): average time in microseconds, one fork with the Vector API module, the active
 * kernels, and a thread pool that a subclass opens in its set-up with {@link #open(int)}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 10, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-XX:+UseParallelGC"})
public abstract class KernelBench {
    protected final Kernels k = Kernels.active();
    protected Exec exec;

    /** Opens the trial's pool: the caller alone for one thread. */
    protected final void open(int threads) {
        exec = threads == 1 ? Exec.sequential() : Exec.threads(threads);
    }

    @TearDown(Level.Trial)
    public void close() {
        exec.close();
    }

    static float[] random(int size, long seed) {
        return Operands.random(size, seed);
    }
}
