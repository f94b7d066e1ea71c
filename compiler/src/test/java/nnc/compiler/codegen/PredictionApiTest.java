package nnc.compiler.codegen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.ref.WeakReference;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import nnc.compiler.CompileResult;
import nnc.compiler.NncCompiler;
import nnc.compiler.diag.SourceFile;
import java.nio.file.Files;
import java.nio.file.Path;
import nnc.runtime.exec.Exec;
import nnc.runtime.model.CompiledModel;
import nnc.runtime.model.Predictor;
import nnc.runtime.serve.Evaluate;
import nnc.runtime.serve.InputException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The prediction API's edges. A model used from pooled threads can still be garbage: the
 * per-thread arenas must not tie a closed or dropped model to threads that live on (a server
 * that reloads its model on an executor would otherwise keep every old model, weights and
 * arenas included). Closed models, null arrays and non-finite inputs are refused by name.
 */
class PredictionApiTest {
    private static final String MODEL = """
            model Small {
                input x: [64]
                x -> linear(32) -> relu -> linear(4)
            }
            """;

    private final ExecutorService pool = Executors.newFixedThreadPool(3);

    @AfterEach
    void stopPool() {
        pool.shutdownNow();
    }

    @Test
    void aClosedModelIsNotKeptByThePoolThreadsThatUsedIt() throws Exception {
        WeakReference<CompiledModel> ref = useOnPool(true);
        assertNull(collected(ref), "the closed model is still reachable while the pool's threads live");
    }

    @Test
    void aDroppedModelIsNotKeptByThePoolThreadsThatUsedIt() throws Exception {
        WeakReference<CompiledModel> ref = useOnPool(false);
        assertNull(collected(ref), "the dropped model is still reachable while the pool's threads live");
    }

    @Test
    void aClosedModelRefusesPredictionsBeforeLookingAtTheInput() {
        CompiledModel m = compile();
        m.initialize(1);
        m.close();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> m.predict(new float[3]));
        assertEquals("Small is closed", e.getMessage());
        assertThrows(IllegalStateException.class, () -> m.predict(new float[64], 1, new float[4]));
    }

    @Test
    void nullArraysAreNamed() {
        CompiledModel m = compile();
        NullPointerException e = assertThrows(NullPointerException.class, () -> m.predict(null));
        assertEquals("raw", e.getMessage());
        e = assertThrows(NullPointerException.class, () -> m.predict(new float[64], 1, null));
        assertEquals("out", e.getMessage());
    }

    @Test
    void nonFiniteInputsAreRefusedByPosition() {
        CompiledModel m = compile();
        m.initialize(3);
        float[] one = new float[64];
        one[17] = Float.NaN;
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> m.predict(one));
        assertEquals("Small: input value 17 of sample 0 is NaN; inputs must be finite numbers", e.getMessage());

        float[] batch = new float[5 * 64];
        batch[3 * 64 + 2] = Float.NEGATIVE_INFINITY;
        e = assertThrows(IllegalArgumentException.class, () -> m.predict(batch, 5, new float[5 * 4]));
        assertEquals("Small: input value 2 of sample 3 is -Infinity; inputs must be finite numbers", e.getMessage());

        try (Exec exec = Exec.threads(2)) {
            Predictor p = m.newPredictor(exec, 8);
            e = assertThrows(IllegalArgumentException.class, () -> p.predict(batch, 0, 5, new float[5 * 4], 0));
            assertTrue(e.getMessage().contains("-Infinity"), e::getMessage);
            batch[3 * 64 + 2] = Float.MAX_VALUE; // finite: predicted
            p.predict(batch, 0, 5, new float[5 * 4], 0);
        }
    }

    /** A model jar's evaluate refuses targets the loss cannot score instead of printing an accuracy for them. */
    @Test
    void evaluationRefusesTargetsTheLossCannotScore(@TempDir Path dir) throws Exception {
        String binary = """
                model Yes {
                    input x: [2]
                    x -> linear(1) -> sigmoid
                }
                data d = csv("d.csv", targets: 1, test: 0.5)
                train Yes on d {
                    loss binary_cross_entropy
                    optimizer sgd(lr: 0.1)
                    batch 1
                    epochs 1
                }
                """;
        CompileResult r = NncCompiler.compile(new SourceFile("yes.nn", binary), NncCompiler.Options.defaults());
        assertTrue(r.ok(), r::render);
        CompiledModel m = r.newModel();
        m.initialize(1);
        Path good = Files.writeString(dir.resolve("good.csv"), "a,b,y\n0.1,0.2,1\n0.3,0.1,0\n");
        Path bad = Files.writeString(dir.resolve("bad.csv"), "a,b,y\n0.1,0.2,1\n0.3,0.1,5\n");
        try (Exec exec = Exec.sequential()) {
            assertEquals(2, Evaluate.run(m, Evaluate.testSet(good.toString(), m), 100, exec).samples());
            InputException e = assertThrows(InputException.class,
                    () -> Evaluate.run(m, Evaluate.testSet(bad.toString(), m), 100, exec));
            assertEquals("Yes needs targets in [0, 1], but sample 2 has target 5.0", e.getMessage());
            // a value the normalize takes past the float range is refused, not scored
            CompileResult scaled = NncCompiler.compile(new SourceFile("yes.nn", binary.replace("test: 0.5)",
                    "test: 0.5) | normalize(mean: 0, std: 0.001)")), NncCompiler.Options.defaults());
            assertTrue(scaled.ok(), scaled::render);
            CompiledModel s = scaled.newModel();
            s.initialize(1);
            Path big = Files.writeString(dir.resolve("big.csv"), "a,b,y\n0.1,0.2,1\n0.3,1e38,0\n");
            e = assertThrows(InputException.class, () -> Evaluate.run(s, Evaluate.testSet(big.toString(), s), 100, exec));
            assertEquals("sample 2: Yes: input value 1 is 1.0E38, which the preprocessing takes past the float range",
                    e.getMessage());
        }
    }

    /** A model that four tasks on the pool's threads predicted with, then closed or not, and dropped. */
    private WeakReference<CompiledModel> useOnPool(boolean close) throws Exception {
        CompiledModel m = compile();
        m.initialize(7);
        for (int i = 0; i < 4; i++) {
            float[] p = pool.submit(() -> m.predict(new float[64])).get();
            assertEquals(4, p.length);
        }
        if (close) {
            m.close();
        }
        return new WeakReference<>(m);
    }

    /** The referent after up to 20 full collections: null once it was garbage. */
    private static CompiledModel collected(WeakReference<CompiledModel> ref) throws InterruptedException {
        for (int i = 0; i < 20 && ref.get() != null; i++) {
            System.gc();
            Thread.sleep(10);
        }
        return ref.get();
    }

    private static CompiledModel compile() {
        CompileResult r = NncCompiler.compile(new SourceFile("small.nn", MODEL), NncCompiler.Options.defaults());
        assertTrue(r.ok(), r::render);
        return r.newModel();
    }
}
