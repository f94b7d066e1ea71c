package nnc.compiler.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import nnc.compiler.Compilation;
import nnc.compiler.CompileResult;
import nnc.compiler.ir.Graph;
import nnc.compiler.ir.KernelSchedule.Kernel;
import nnc.compiler.ir.MemoryPlan;
import nnc.compiler.ir.Node;
import nnc.compiler.ir.Origin;
import nnc.runtime.exec.Exec;
import nnc.runtime.model.CompiledModel;
import nnc.runtime.model.TensorSpec;
import nnc.runtime.model.Training;
import nnc.runtime.train.Checkpoint;
import nnc.runtime.train.TrainConfig;
import nnc.runtime.train.TrainListener;
import nnc.runtime.train.Trainer;

/**
 * Finds where a diverged run first went non-finite. Checking every kernel's output on every
 * step would slow training down, so the loop only watches the loss; once it is not finite, the
 * run is replayed from its last good checkpoint (the same steps, bit for bit, on the same
 * thread count) on a profiled build of the model, whose generated code calls this probe after
 * each kernel. The probe scans the values the kernel wrote (its output and what it stores for
 * backward) and, after the optimizer, the parameters and optimizer state, and remembers the
 * first non-finite one.
 *
 * <p>Kernel {@code k} of a profiled build is the {@code k}-th kernel the emitter writes: those
 * of each {@link Origin.Phase} in turn (forward, loss, backward), each in schedule order; the
 * optimizer is last.
 */
final class DivergenceProbe implements Training.KernelProbe {
    /** The first non-finite value: the step (1-based, of the run) and what it was. */
    record Finding(long step, String what) {
    }

    private final CompiledModel model;
    private final Training training;
    private final MemoryPlan plan;
    private final Graph graph;
    private final String file;
    private final Compilation c;
    private final List<Kernel> kernels = new ArrayList<>();
    private Finding first;

    private DivergenceProbe(Compilation c, CompiledModel model, Training training) {
        this.c = c;
        this.model = model;
        this.training = training;
        this.plan = c.trainPlan();
        this.graph = c.trainGraph();
        this.file = Path.of(c.source().path()).getFileName().toString();
        for (Origin.Phase phase : Origin.Phase.values()) {
            plan.schedule().emitted().stream().filter(k -> graph.node(k.first()).origin().phase() == phase)
                    .forEach(kernels::add);
        }
    }

    /**
     * Replays the run from {@code from} on {@code profiled} (a profiled build of the same source)
     * until the probe finds something or step {@code until} is done; null when nothing was found.
     */
    static Finding replay(CompileResult profiled, TrainConfig config, TrainingData data, int threads, Checkpoint from,
                          long until) throws IOException {
        CompiledModel m = profiled.newModel();
        try (Exec exec = Exec.threads(threads)) {
            Training t = m.newTraining(exec, config.batch(), config.seed(), config.learningRate());
            DivergenceProbe p = new DivergenceProbe(profiled.compilation(), m, t);
            if (t.kernelNames().length != p.kernels.size() + 1) {
                return null; // not the build this probe understands
            }
            t.setKernelProbe(p);
            new Trainer(m, t, config, TrainListener.NONE).resumeFrom(from)
                    .stopWhen(() -> p.first != null || t.steps() >= until).run(data.train(), data.val());
            return p.first;
        }
    }

    @Override
    public void afterKernel(int k) {
        if (first != null) {
            return;
        }
        if (k == kernels.size()) {
            afterUpdate();
            return;
        }
        Kernel kernel = kernels.get(k);
        List<Integer> values = new ArrayList<>(kernel.stored());
        values.add(kernel.output());
        for (int v : values) {
            MemoryPlan.Buffer b = plan.buffer(v);
            float[] a = switch (b.region()) {
                case ARENA, ARENA_FIXED -> training.arena();
                case PARAMS -> model.params;
                case GRADS -> training.gradients();
                case NONE -> null;
            };
            if (a == null) {
                continue;
            }
            int from = switch (b.region()) {
                case ARENA -> b.offset() * training.batch();
                case ARENA_FIXED -> plan.floatsPerSample() * training.batch() + b.offset();
                default -> b.offset();
            };
            int bad = firstNonFinite(a, from, b.region() == MemoryPlan.Region.ARENA ? b.size() * training.rows()
                    : b.size());
            if (bad >= 0) {
                first = new Finding(training.steps(), describe(graph.node(v)) + " is " + a[bad]);
                return;
            }
        }
    }

    private void afterUpdate() {
        int bad = firstNonFinite(model.params, 0, model.params.length);
        if (bad >= 0) {
            for (TensorSpec t : model.spec().tensors()) {
                if (bad >= t.offset() && bad < t.offset() + t.size()) {
                    first = new Finding(training.steps(), "the optimizer step made " + t.name() + " "
                            + model.params[bad]);
                    return;
                }
            }
        }
        for (float[] s : training.stateArrays()) {
            if (firstNonFinite(s, 0, s.length) >= 0) {
                first = new Finding(training.steps(), "the optimizer state went non-finite");
                return;
            }
        }
    }

    /** {@code the output of linear_2 (matmul, m.nn:4:29)}. */
    private String describe(Node n) {
        Origin o = n.origin();
        String where = o.span().isKnown() ? ", " + file + ":" + c.source().lineColumn(o.span()) : "";
        return (o.isBackward() ? "the gradient flowing back through " : "the output of ") + o.layer() + " ("
                + n.op().name() + where + ")";
    }

    private static int firstNonFinite(float[] a, int from, int len) {
        for (int i = from; i < from + len; i++) {
            if (!Float.isFinite(a[i])) {
                return i;
            }
        }
        return -1;
    }
}
