package nnc.runtime.model;

import nnc.runtime.exec.Exec;
import nnc.runtime.exec.Task;

/**
 * Raw inputs in, activated outputs out: inference arenas plus the model's {@link Serving}.
 * The preprocessing is done as the input is copied into an arena, the output activation as
 * the output is copied out, so a prediction reads each value once more than the network
 * alone does, and allocates nothing.
 *
 * <p>On one thread, one arena of {@link #capacity()} samples (at most {@value #MAX_ROWS}, and at
 * most what {@link #ARENA_BYTES} of activations hold) runs the batch in pieces of that size.
 * On an {@link Exec} of T threads, a batch is cut into chunks of nearly equal size, at most
 * {@value #CHUNK} samples and a multiple of T of them (one per sample for a smaller batch),
 * that the threads take from one counter, each into an arena of its own on the sequential
 * kernels: one hand-off per batch instead of one per kernel, and a thread the machine
 * descheduled holds up one chunk, not every kernel of the batch.
 *
 * <p>A predictor belongs to one thread at a time. {@link CompiledModel#predict} keeps one per
 * calling thread; code that wants several threads on one large batch makes its own:
 * {@code model.newPredictor(Exec.threads(4), 256)}.
 *
 * <p>Shapes: raw {@code [n, inputSize]} row-major, out {@code [n, outputSize]}.
 */
public final class Predictor {
    /** Samples per chunk when threads share a batch. */
    static final int CHUNK = 32;

    /**
     * The most samples one arena runs at once. A product of up to {@value} rows takes the
     * GEMM's dot-product path, where every row's sums are the same whatever the other rows
     * (larger products are packed and sum in another order), so a sample gets the same bits
     * alone, in a batch at any position, in pieces or on several threads.
     */
    static final int MAX_ROWS = 128;

    /**
     * The activations one arena may hold, in bytes: a few times a core's L2. A layer's output
     * is read back by the next layer while it is still in cache only if the whole batch's
     * output fits; the tutorial CNN's first convolution writes 86 KB per sample, so an arena of
     * 128 samples streams 11 MB through L3 at every layer. Capped at about 2 MB (14 samples
     * for that CNN), a batch of 256 ran 20-25% faster on one thread of the Zen 3 machine
     * (performance.md); the MNIST MLP (5 KB per sample) still gets {@value #MAX_ROWS}.
     */
    static final int ARENA_BYTES = 2 << 20;

    private final CompiledModel model;
    private final Serving serving;
    private final int inputSize;
    private final int outputSize;
    private final Exec exec;
    private final int capacity;
    /** One arena per thread of the exec (just one on a single thread). */
    private final Inference[] arenas;
    private final Chunks chunks = new Chunks();
    /** For {@link #runRaw}: a whole batch in one arena on the exec; made on first use. */
    private Inference whole;

    Predictor(CompiledModel model, Exec exec, int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be >= 1, got " + capacity);
        }
        this.model = model;
        this.serving = model.spec.serving();
        this.inputSize = model.spec.inputSize();
        this.outputSize = model.spec.outputSize();
        this.exec = exec;
        int threads = exec.threads();
        this.arenas = new Inference[threads];
        if (threads == 1) {
            arenas[0] = inference(model, exec, Math.min(capacity, MAX_ROWS));
        } else {
            int chunk = Math.min(CHUNK, (capacity + threads - 1) / threads);
            for (int w = 0; w < threads; w++) {
                arenas[w] = inference(model, Exec.sequential(), chunk);
            }
        }
        this.capacity = capacity;
    }

    /**
     * An inference side for {@code rows}, or for fewer when that many samples' activations
     * would pass {@link #ARENA_BYTES} (predictions then run in smaller pieces). A one-sample
     * arena made first tells the size of a sample's activations.
     */
    private static Inference inference(CompiledModel model, Exec exec, int rows) {
        Inference one = fitting(model, exec, 1);
        if (rows == 1) {
            return one;
        }
        long perSample = 4L * Math.max(1, one.floatsPerSample());
        return fitting(model, exec, (int) Math.min(rows, Math.max(1, ARENA_BYTES / perSample)));
    }

    /**
     * An inference side for {@code rows}, or for fewer when a model's activations are so large
     * that that many samples' arena would not fit in one array.
     */
    private static Inference fitting(CompiledModel model, Exec exec, int rows) {
        try {
            return model.newInference(exec, rows);
        } catch (ArenaTooLargeException e) {
            if (e.largest() < 1) {
                throw e;
            }
            return model.newInference(exec, e.largest());
        }
    }

    /** The largest batch this predictor was made for; larger calls run in pieces. */
    public int capacity() {
        return capacity;
    }

    /**
     * Predicts {@code n} samples: raw inputs from {@code raw[rawOff ..]}, outputs (activated:
     * class probabilities for a classifier) to {@code out[outOff ..]}.
     */
    public void predict(float[] raw, int rawOff, int n, float[] out, int outOff) {
        if (model.isClosed()) {
            throw model.closedError();
        }
        checkRange(raw, rawOff, n, inputSize, "input");
        checkRange(out, outOff, n, outputSize, "output");
        if (arenas.length == 1) {
            Inference inf = arenas[0];
            for (int done = 0; done < n; done += inf.capacity()) {
                run(inf, raw, rawOff, done, Math.min(inf.capacity(), n - done), out, outOff);
            }
            return;
        }
        if (n == 0) {
            return;
        }
        int pieces = pieces(n, arenas[0].capacity(), arenas.length);
        chunks.set(raw, rawOff, n, pieces, out, outOff);
        exec.run(pieces, chunks);
        chunks.set(null, 0, 0, 0, null, 0);
    }

    /**
     * How many chunks a batch of {@code n} is cut into: as few as arenas of {@code capacity}
     * allow, rounded up to a multiple of the thread count so that the chunks are of nearly
     * equal size and the threads can share them evenly (a batch of 256 on two threads in
     * arenas of 14: 20 chunks of 12 or 13 instead of 18 of 14 and one of 4, where one thread
     * ran a chunk longer than the other). Never more chunks than samples.
     */
    static int pieces(int n, int capacity, int threads) {
        if (n < 1) {
            return 0;
        }
        int least = (n - 1) / capacity + 1;
        int even = (least + threads - 1) / threads * threads;
        return Math.min(n, even);
    }

    /** The first sample of chunk {@code index} of {@code pieces}: chunk sizes differ by at most one. */
    static int start(int index, int n, int pieces) {
        return (int) ((long) index * n / pieces);
    }

    /** Samples {@code [from, from + rows)} through one arena. */
    private void run(Inference inf, float[] raw, int rawOff, int from, int rows, float[] out, int outOff) {
        float[] arena = inf.arena();
        serving.prepare(raw, rawOff + from * inputSize, arena, inf.inputOffset(), rows, inputSize);
        checkFinite(inf, raw, rawOff, from, rows);
        inf.run(rows);
        int dst = outOff + from * outputSize;
        System.arraycopy(arena, inf.outputOffset(), out, dst, rows * outputSize);
        serving.activate(out, dst, rows, outputSize);
    }

    /**
     * A NaN or infinite input (or one that preprocessing took past the float range) would come
     * out as NaN probabilities, or as a class that looks like an answer (a ReLU or a max-pool
     * can drop a NaN): refused, naming the first such value.
     */
    private void checkFinite(Inference inf, float[] raw, int rawOff, int from, int rows) {
        float[] arena = inf.arena();
        int at = inf.inputOffset();
        if (Serving.allFinite(arena, at, rows * inputSize)) {
            return;
        }
        for (int r = 0; r < rows; r++) {
            for (int i = 0; i < inputSize; i++) {
                if (!Float.isFinite(arena[at + r * inputSize + i])) {
                    int sample = from + r;
                    float v = raw[rawOff + sample * inputSize + i];
                    throw new NonFiniteInputException(model.spec.name(), sample, i, "is " + v + (Float.isFinite(v)
                            ? ", which the preprocessing takes past the float range" : "; inputs must be finite numbers"));
                }
            }
        }
    }

    /** The chunks of one batch, taken by the exec's threads; reused, so a call allocates nothing. */
    private final class Chunks implements Task {
        private float[] raw;
        private float[] out;
        private int rawOff;
        private int outOff;
        private int n;
        private int pieces;

        void set(float[] raw, int rawOff, int n, int pieces, float[] out, int outOff) {
            this.raw = raw;
            this.rawOff = rawOff;
            this.n = n;
            this.pieces = pieces;
            this.out = out;
            this.outOff = outOff;
        }

        @Override
        public void run(int index, int worker) {
            int from = start(index, n, pieces);
            Predictor.this.run(arenas[worker], raw, rawOff, from, start(index + 1, n, pieces) - from, out, outOff);
        }
    }

    /**
     * Writes {@code n} raw samples as preprocessed network inputs into an arena and runs the
     * network, leaving its raw output (and room for targets) there: for evaluating a loss with
     * {@link Inference#loss}. {@code n} must not exceed the capacity.
     */
    public Inference runRaw(float[] raw, int rawOff, int n) {
        if (model.isClosed()) {
            throw model.closedError();
        }
        Inference inf = arenas.length == 1 ? arenas[0] : whole;
        if (inf == null) {
            inf = whole = inference(model, exec, capacity);
        }
        if (n < 1 || n > inf.capacity()) {
            throw new IllegalArgumentException("rows must be in [1, " + inf.capacity() + "], got " + n);
        }
        checkRange(raw, rawOff, n, inputSize, "input");
        serving.prepare(raw, rawOff, inf.arena(), inf.inputOffset(), n, inputSize);
        checkFinite(inf, raw, rawOff, 0, n);
        inf.run(n);
        return inf;
    }

    private void checkRange(float[] a, int off, int n, int width, String what) {
        if (n < 0 || off < 0 || (long) off + (long) n * width > a.length) {
            throw new IllegalArgumentException(model.spec.name() + ": " + n + " samples of " + width + " " + what
                    + " values from offset " + off + " do not fit an array of " + a.length);
        }
    }
}
