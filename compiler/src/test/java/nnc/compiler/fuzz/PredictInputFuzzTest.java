package nnc.compiler.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.file.Path;
import java.util.List;
import nnc.runtime.model.ModelSpec;
import nnc.runtime.model.Objective;
import nnc.runtime.model.Serving;
import nnc.runtime.serve.InputException;
import nnc.runtime.serve.Inputs;

/**
 * What {@code nnc predict} and a model jar read as inputs, on arbitrary contents: PNG (nnc's own
 * decoder), PGM/PPM, JPEG, GIF and BMP (through ImageIO), IDX (plain or gzipped) and CSV rows.
 * Each input is read for three models, a grey 8x8 image, an RGB 5x5 image and three tabular
 * values (plus one target column): the reader gives samples of the model's size, every value
 * finite, one name each, or an {@link InputException} that names the file. Anything else is a
 * finding. The seeds are a small file of each kind.
 */
class PredictInputFuzzTest {
    private static final Path FILE = Path.of("fuzzed");
    private static final List<ModelSpec> MODELS = List.of(
            spec(new int[] {1, 8, 8}, new Serving.Image(1, 8, 8)),
            spec(new int[] {3, 5, 5}, new Serving.Image(3, 5, 5)),
            spec(new int[] {3}, null));

    private static ModelSpec spec(int[] input, Serving.Image image) {
        Serving s = new Serving(new float[] {1f}, new float[] {0f}, image, Serving.Output.LOGITS, List.of(), "none");
        return new ModelSpec("M", "m.nn", input, new int[] {2}, Objective.CLASSIFY, List.of(), 0, 0, 0L, s);
    }

    @FuzzTest(maxDuration = "5s")
    void anyInput(byte[] input) {
        for (ModelSpec spec : MODELS) {
            try {
                Inputs.Batch b = Inputs.parse(FILE, input, spec);
                ReaderFuzzTest.check(b.count() >= 1, "no samples and no error");
                ReaderFuzzTest.check(b.values().length == b.count() * spec.inputSize(), "values and count disagree");
                ReaderFuzzTest.check(b.names().size() == b.count(), "names and count disagree");
                b.names().get(b.count() - 1);
                for (float v : b.values()) {
                    ReaderFuzzTest.check(Float.isFinite(v), "an input value is not finite");
                }
            } catch (InputException e) {
                ReaderFuzzTest.check(e.getMessage().startsWith(FILE.toString()), "the message names the file: "
                        + e.getMessage());
            }
        }
    }
}
