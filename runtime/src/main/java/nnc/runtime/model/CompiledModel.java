package nnc.runtime.model;

import java.io.IOException;
import java.nio.file.Path;
import nnc.runtime.exec.Exec;
import nnc.runtime.io.WeightsFile;

/**
 * The base of every generated model class: the flat parameter array plus factories for the
 * training and inference sides. Cheap to construct; {@link #predict} is safe to call from
 * many threads at once (each thread gets its own inference arena).
 */
public abstract class CompiledModel {
    public final ModelSpec spec;
    public final float[] params;
    private final ThreadLocal<Inference> perThread = ThreadLocal.withInitial(
            () -> newInference(Exec.sequential(), 1));

    protected CompiledModel(ModelSpec spec) {
        this.spec = spec;
        this.params = new float[spec.paramCount()];
    }

    public final ModelSpec spec() {
        return spec;
    }

    /** Sets every tensor to its declared initial value, drawing from {@code seed}. */
    public abstract void initialize(long seed);

    /** The training side at {@code batch} rows per step, with the given starting learning rate. */
    public abstract Training newTraining(Exec exec, int batch, long seed, float learningRate);

    /** An inference side for up to {@code capacity} rows per call. */
    public abstract Inference newInference(Exec exec, int capacity);

    /** The model's output for one sample (flattened), on the calling thread. */
    public final float[] predict(float[] sample) {
        if (sample.length != spec.inputSize()) {
            throw new IllegalArgumentException(spec.name() + " takes " + spec.inputSize()
                    + " inputs per sample, got " + sample.length);
        }
        Inference inf = perThread.get();
        System.arraycopy(sample, 0, inf.arena(), inf.inputOffset(), sample.length);
        inf.run(1);
        float[] out = new float[spec.outputSize()];
        System.arraycopy(inf.arena(), inf.outputOffset(), out, 0, out.length);
        return out;
    }

    /** Writes the parameters to {@code file} (atomically: a temporary file, then a rename). */
    public final void save(Path file) throws IOException {
        WeightsFile.write(file, spec, params);
    }

    /** Reads parameters written for a model of the same structure. */
    public final void load(Path file) throws IOException {
        WeightsFile.read(file, spec, params);
    }
}
