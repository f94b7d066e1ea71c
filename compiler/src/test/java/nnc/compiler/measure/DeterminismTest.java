package nnc.compiler.measure;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import nnc.compiler.Compilation;
import nnc.compiler.CompileResult;
import nnc.compiler.TestModels;
import nnc.runtime.data.Dataset;
import nnc.runtime.exec.Exec;
import nnc.runtime.model.CompiledModel;
import nnc.runtime.model.Training;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Training is deterministic for a fixed thread count: the same model, parameters, batches and
 * seed give bit-identical parameters, however the threads take the tasks and whichever JIT
 * tier runs each kernel (the first run starts in the interpreter, later ones run C2 code).
 * The samples cover ReLU with softmax cross-entropy (MLP, CNN, batch norm), GELU with MSE
 * (wave) and tanh with sigmoid binary cross-entropy (moons): their exponentials come from
 * VMath.exp, not from the Vector API's EXP and TANH, whose last bits differ between its Java
 * fallback and C2.
 */
class DeterminismTest {
    static final int STEPS = 40;

    @ParameterizedTest(name = "{0} on {1} threads")
    @CsvSource({"mnist_mlp.nn, 1", "mnist_mlp.nn, 2", "fashion_cnn.nn, 2", "fashion_cnn_bn.nn, 2", "wave.nn, 1",
        "wave.nn, 2", "moons.nn, 2"})
    void sameThreadCountGivesBitIdenticalParameters(String sample, int threads) throws Exception {
        CompileResult r = TestModels.buildFile(TestModels.root().resolve("samples").resolve(sample), true);
        Compilation c = r.compilation();
        CompiledModel model = r.newModel();
        int batch = 32;
        Dataset data = SyntheticBatch.of(model.spec(), batch, 5);
        float[] first = null;
        for (int run = 0; run < 4; run++) {
            model.initialize(2);
            try (Exec exec = Exec.threads(threads)) {
                Training t = model.newTraining(exec, batch, 9, 1e-3f);
                StepProfiler.load(t, data);
                for (int i = 0; i < STEPS; i++) {
                    t.step(batch);
                }
            }
            if (first == null) {
                first = model.params.clone();
            } else {
                assertArrayEquals(first, model.params, sample + ": run " + run + " differs from run 0");
            }
        }
    }
}
