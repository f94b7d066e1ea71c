package nnc.compiler.measure;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import nnc.compiler.Compilation;
import nnc.compiler.CompileResult;
import nnc.compiler.TestModels;
import nnc.runtime.exec.Exec;
import nnc.runtime.model.CompiledModel;
import nnc.runtime.model.Training;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A training step in steady state allocates nothing on the heap: every activation, gradient
 * and scratch buffer lives in the planned arena or the per-worker workspaces. Measured with
 * the JVM's per-thread allocation counters on the calling thread and every kernel thread, the
 * way {@code nnc train --profile} reports it.
 */
@Tag("steady-state")
class SteadyStateAllocationTest {
    static final double LIMIT_BYTES = 1024;

    @ParameterizedTest(name = "{0}, fused {1}")
    @CsvSource({"mnist_mlp.nn, true", "mnist_mlp.nn, false", "fashion_cnn.nn, true", "wave.nn, true", "moons.nn, true"})
    void trainingStepAllocatesUnderOneKiB(String sample, boolean fuse) throws Exception {
        assertSteadyStateAllocatesNothing(sample,
                TestModels.buildFile(TestModels.root().resolve("samples").resolve(sample), fuse));
    }

    /** Swish, whose vector loops keep exp(-x) in a per-thread scratch buffer, like GELU's. */
    @Test
    void swishTrainingStepAllocatesUnderOneKiB() throws Exception {
        assertSteadyStateAllocatesNothing("swish", TestModels.build("""
                model SwishNet {
                    input x: [2]
                    x -> linear(64) -> swish -> linear(64) -> swish -> linear(1)
                }
                data d = csv("unused.csv", targets: 1)
                train SwishNet on d { loss mse; optimizer adam(lr: 1e-3) }
                """, true));
    }

    /** Batch norm after convolutions and after a linear layer, each with the ReLU it runs as it stores. */
    @Test
    void batchNormTrainingStepAllocatesUnderOneKiB() throws Exception {
        assertSteadyStateAllocatesNothing("batch norm", TestModels.build("""
                model BnNet {
                    input x: [2, 12, 12]
                    x -> conv2d(8, 3, pad: same) -> batchnorm -> relu -> maxpool(2)
                      -> flatten -> linear(16) -> batchnorm -> relu -> dropout(0.2) -> linear(3)
                }
                data d = csv("unused.csv", targets: 1)
                train BnNet on d { loss cross_entropy; optimizer sgd(lr: 0.01) }
                """, true));
    }

    private static void assertSteadyStateAllocatesNothing(String what, CompileResult r) throws Exception {
        Compilation c = r.compilation();
        CompiledModel model = r.newModel();
        model.initialize(1);
        try (Exec exec = Exec.threads(2)) {
            Training training = model.newTraining(exec, 64, 7, 1e-3f);
            float[] before = model.params.clone();
            StepProfiler.Profile p = StepProfiler.measure(training, SyntheticBatch.of(model.spec(), 64, 3), 100,
                    exec.workerThreadIds());
            assertTrue(p.bytesPerStep() < LIMIT_BYTES, () -> what + ": " + p.bytesPerStep() + " bytes per step after "
                    + p.warmup() + " warm-up steps");
            assertTrue(p.warmup() + p.steps() > 0);
            assertArrayEquals(before, model.params, "profiling must leave the model as it found it");
            assertEquals(0, training.steps());
        }
    }
}
