package nnc.runtime.model;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import nnc.runtime.exec.Exec;
import nnc.runtime.io.WeightsFile;
import nnc.runtime.kernels.TransposedCache;

/**
 * The base of every generated model class: the flat parameter array, factories for the
 * training and inference sides, and the prediction API.
 *
 * <p>Predictions take raw inputs (pixels 0-255, CSV values as they are in the file) and apply
 * the model's preprocessing and output activation once each (see {@link Serving}).
 * {@link #predict}, {@link #classify} and the batched {@link #predict(float[], int, float[])}
 * are safe to call from many threads at once: each calling thread gets its own inference
 * arena on first use, the parameters are only read, and no lock is taken. A call allocates
 * nothing but its result. Load the weights before sharing the model between threads.
 *
 * <p>The model keeps one arena per calling thread, in a map of its own rather than in the
 * threads: a pooled thread that once called a model does not keep it alive, so a model that is
 * closed or dropped is garbage like any other object (a {@link ThreadLocal} whose value refers
 * to the model would have kept it, its weights and its arenas for as long as the thread lived).
 * The arenas of threads that have ended are dropped as new threads arrive. An application that
 * makes a new thread per request (virtual threads, say) should keep a {@link Predictor} per
 * worker instead ({@link #newPredictor}), or it allocates an arena per thread.
 */
public abstract class CompiledModel implements AutoCloseable {
    /** Largest batch one per-thread arena holds; bigger batched calls run in pieces. */
    static final int BATCH_CAPACITY = 256;

    public final ModelSpec spec;
    /**
     * Every parameter, flat. Predictions keep some of them in other layouts (a linear layer on
     * the model input keeps its weights transposed for sparse rows), so code that writes this
     * array directly must call {@link #paramsChanged()} before the next prediction; loading,
     * {@link #initialize}, training steps and restores do.
     */
    public final float[] params;
    /** Layouts of weights derived from {@link #params}; see {@link #paramsChanged()}. */
    final TransposedCache transposed = new TransposedCache();
    /** Each calling thread's predictors; see the class comment. */
    private final Map<Thread, PerThread> perThread = new ConcurrentHashMap<>();
    /** When the map holds this many threads, the ones that have ended are dropped. */
    private int sweepAt = 16;
    private volatile boolean closed;

    protected CompiledModel(ModelSpec spec) {
        this.spec = spec;
        this.params = new float[spec.paramCount()];
    }

    public final ModelSpec spec() {
        return spec;
    }

    /**
     * Tells the model that {@link #params} changed: the layouts predictions derive from it are
     * rebuilt on the next prediction. Cheap; call it after writing the array directly.
     */
    public final void paramsChanged() {
        transposed.invalidate();
    }

    /** Sets every tensor to its declared initial value, drawing from {@code seed}. */
    public abstract void initialize(long seed);

    /** The training side at {@code batch} rows per step, with the given starting learning rate. */
    public abstract Training newTraining(Exec exec, int batch, long seed, float learningRate);

    /** An inference side for up to {@code capacity} rows per call, on preprocessed inputs. */
    public abstract Inference newInference(Exec exec, int capacity);

    /** A predictor of its own for one thread, running on {@code exec}; see {@link Predictor}. */
    public final Predictor newPredictor(Exec exec, int capacity) {
        Objects.requireNonNull(exec, "exec");
        if (closed) {
            throw closedError();
        }
        return new Predictor(this, exec, capacity);
    }

    /**
     * The model's output for one raw sample: class probabilities for a classifier, the values
     * for a regression.
     *
     * @throws IllegalArgumentException when {@code raw} does not have the input's size
     */
    public final float[] predict(float[] raw) {
        checkOpen();
        checkSample(raw);
        float[] out = new float[spec.outputSize()];
        mine().single().predict(raw, 0, 1, out, 0);
        return out;
    }

    /**
     * Predicts {@code n} raw samples, {@code in[n][inputSize]} row-major, into the caller's
     * {@code out[n][outputSize]}, on the calling thread; allocates nothing after a thread's
     * first call at this batch size.
     */
    public final void predict(float[] in, int n, float[] out) {
        checkOpen();
        Objects.requireNonNull(in, "in");
        Objects.requireNonNull(out, "out");
        if (n < 1) {
            throw new IllegalArgumentException(spec.name() + ": the number of samples must be >= 1, got " + n);
        }
        if ((long) n * spec.inputSize() > in.length) {
            throw new IllegalArgumentException(spec.name() + ": " + n + " samples of shape " + spec.inputShapeText()
                    + " need " + (long) n * spec.inputSize() + " input values, got " + in.length);
        }
        if ((long) n * spec.outputSize() > out.length) {
            throw new IllegalArgumentException(spec.name() + ": " + n + " samples give " + (long) n * spec.outputSize()
                    + " output values, but the output array holds " + out.length);
        }
        PerThread t = mine();
        (n == 1 ? t.single() : t.batch(n)).predict(in, 0, n, out, 0);
    }

    /**
     * The most probable class of one raw sample, with every class's probability.
     *
     * @throws IllegalStateException when the model is not a classifier
     */
    public final Prediction classify(float[] raw) {
        Serving s = spec.serving();
        if (!s.output().isClassifier()) {
            throw new IllegalStateException(spec.name() + " outputs values, not classes: use predict");
        }
        float[] y = predict(raw);
        if (s.output() == Serving.Output.BINARY && y.length == 1) {
            y = new float[] {1 - y[0], y[0]};
        }
        return new Prediction(y, s);
    }

    /** Writes the parameters to {@code file} (atomically: a temporary file, then a rename). */
    public final void save(Path file) throws IOException {
        WeightsFile.write(file, spec, params);
    }

    /** Reads parameters written for a model of the same structure ({@code nnc train}, {@link #save}). */
    public final void loadWeights(Path file) throws IOException {
        try {
            WeightsFile.read(file, spec, params);
        } finally {
            paramsChanged();
        }
    }

    /** Reads parameters from a stream (a resource, say), which is read to its end but not closed. */
    public final void loadWeights(InputStream in, String name) throws IOException {
        Objects.requireNonNull(in, () -> "no weights stream for " + spec.name() + " (a resource that was not found?)");
        try {
            WeightsFile.read(in, name, spec, params);
        } finally {
            paramsChanged();
        }
    }

    /**
     * Ends the model's use: predictions after this throw {@link IllegalStateException} (calls
     * still running finish normally), and every thread's arena and the transposed weights are
     * released. The parameters
     * stay readable, so {@link #save} still works.
     */
    @Override
    public void close() {
        closed = true;
        perThread.clear();
        transposed.clear();
    }

    final boolean isClosed() {
        return closed;
    }

    IllegalStateException closedError() {
        return new IllegalStateException(spec.name() + " is closed");
    }

    private void checkOpen() {
        if (closed) {
            throw closedError();
        }
    }

    /** The calling thread's predictors, made on its first call. */
    private PerThread mine() {
        Thread me = Thread.currentThread();
        PerThread p = perThread.get(me);
        if (p == null) {
            p = new PerThread();
            perThread.put(me, p);
            dropEndedThreads();
        }
        return p;
    }

    /** Drops the arenas of threads that have ended, once the map has doubled since the last time. */
    private synchronized void dropEndedThreads() {
        if (perThread.size() >= sweepAt) {
            perThread.keySet().removeIf(t -> !t.isAlive());
            sweepAt = Math.max(16, 2 * perThread.size());
        }
    }

    private void checkSample(float[] raw) {
        Objects.requireNonNull(raw, "raw");
        if (raw.length != spec.inputSize()) {
            throw new IllegalArgumentException(spec.name() + " takes one sample of shape " + spec.inputShapeText()
                    + " (" + spec.inputSize() + " values), got " + raw.length + " values");
        }
    }

    /** A thread's predictors: one for single samples, one for batches (made on first use). */
    private final class PerThread {
        private Predictor single;
        private Predictor batch;

        Predictor single() {
            if (single == null) {
                single = newPredictor(Exec.sequential(), 1);
            }
            return single;
        }

        Predictor batch(int n) {
            int want = Math.min(n, BATCH_CAPACITY);
            if (batch == null || batch.capacity() < want) {
                batch = newPredictor(Exec.sequential(), want);
            }
            return batch;
        }
    }
}
