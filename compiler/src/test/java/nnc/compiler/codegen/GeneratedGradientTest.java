package nnc.compiler.codegen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import nnc.compiler.Compilation;
import nnc.compiler.CompileResult;
import nnc.compiler.TestModels;
import nnc.compiler.ir.Graph;
import nnc.compiler.ir.Interpreter;
import nnc.compiler.ir.Node;
import nnc.compiler.ir.Ops;
import nnc.compiler.ir.ParamAttrs;
import nnc.runtime.exec.Exec;
import nnc.runtime.kernels.Backend;
import nnc.runtime.kernels.DropoutMask;
import nnc.runtime.kernels.SparseRows;
import nnc.runtime.model.CompiledModel;
import nnc.runtime.model.Training;
import nnc.runtime.model.TensorSpec;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The whole path at once: gradients computed by the generated Java (float kernels, fused or
 * not) against central differences of the loss evaluated by the reference interpreter in
 * double precision. Checks rules, fusion, memory plan, emitter and kernels together.
 */
class GeneratedGradientTest {
    /** Float gradients against double finite differences: relative to max(|g|, SCALE). */
    static final double TOLERANCE = 2e-3;
    static final double SCALE = 1e-2;
    static final double H = 1e-4;

    static final String EVERY_OP = """
            model Every {
                input x: [6]
                x -> linear(8) -> relu -> dropout(0.25)
                  -> linear(7) -> leaky_relu(0.1)
                  -> linear(7) -> tanh
                  -> linear(6) -> gelu
                  -> linear(5) -> sigmoid
                  -> linear(4)
            }
            data d = csv("unused.csv")
            train Every on d { loss cross_entropy; optimizer sgd(lr: 0.1) }
            """;

    static final String CNN = """
            block Res(c) {
                input x
                y = x -> conv2d(c, 3, pad: same) -> batchnorm -> relu
                (x + y) -> relu
            }
            model Cnn {
                input x: [2, 8, 7]
                a = x -> conv2d(3, 3, pad: 1) -> relu -> maxpool(2)
                b = x -> conv2d(2, [2, 3], stride: 2) -> avgpool(3, stride: 1, pad: 1) -> tanh
                concat(a, b) -> Res(5) -> conv2d(4, 1) -> global_avgpool -> batchnorm -> linear(3)
            }
            data d = csv("unused.csv")
            train Cnn on d { loss cross_entropy }
            """;

    /** 3x3 stride-1 convolutions with 8 or more channels each side: the compiler picks Winograd for every pass. */
    static final String WINOGRAD = """
            model Wino {
                input x: [8, 9, 9]
                x -> conv2d(12, 3, pad: same) -> relu -> conv2d(9, 3) -> batchnorm -> relu -> flatten -> linear(3)
            }
            data d = csv("unused.csv")
            train Wino on d { loss cross_entropy }
            """;

    /**
     * A first layer of one input channel (9 terms per output): its forward pass and its weight
     * and bias gradient run direct; 90 output positions, a whole number of neither 8 nor 16.
     */
    static final String FIRST_LAYER = """
            model First {
                input x: [1, 12, 11]
                x -> conv2d(6, 3) -> relu -> maxpool(2) -> flatten -> linear(3)
            }
            data d = csv("unused.csv")
            train First on d { loss cross_entropy }
            """;

    static final String BINARY = """
            model Bin {
                input x: [5]
                h = x -> linear(6) -> tanh
                (h + (h -> linear(6) -> relu)) -> linear(3) -> sigmoid
            }
            data d = csv("unused.csv")
            train Bin on d { loss binary_cross_entropy }
            """;

    static final String REGRESSION = """
            model Reg {
                input x: [4]
                x -> linear(5, bias: false) -> relu -> linear(2)
            }
            data d = csv("unused.csv")
            train Reg on d { loss mse }
            """;

    /**
     * A first linear layer on an input that is mostly one value (an image's background): its
     * forward and weight gradient run over the entries that differ ({@code K.inputGemm}); 70
     * features are a whole SIMD block of 64 (AVX2) and a partial one.
     */
    static final String SPARSE_INPUT = """
            model Sparse {
                input x: [20]
                x -> linear(70) -> relu -> linear(3)
            }
            data d = csv("unused.csv")
            train Sparse on d { loss cross_entropy }
            """;

    static final float BACKGROUND = -0.4242f;

    /**
     * The training step takes the whole batch in as sparse or not; prediction decides row by row
     * ({@code K.predictInputGemm}, with the model's transposed weights), so that a sample's bits
     * do not depend on its batch, and only with at least 64 input features. Only the first
     * linear layer, the one on the input, does either.
     */
    @org.junit.jupiter.api.Test
    void onlyTheFirstLinearLayerTakesASparseInput() {
        String java = TestModels.source(SPARSE_INPUT, true);
        assertEquals(1, java.split("\\.inputGemm\\(exec, inputRows, n, 70, 20,", -1).length - 1, java);
        assertEquals(1, java.split("\\.inputGemmDw\\(exec, inputRows, 70, 20, n,", -1).length - 1, java);
        assertEquals(1, java.split("\\.gemm\\(exec, false, true, n, 70, 20,", -1).length - 1, "20 features: dense " + java);
        assertEquals(2, java.split("\\.gemm\\(exec, false, true, n, 3, 70,", -1).length - 1,
                "the second layer is dense, in training and in inference");
        String wide = TestModels.source(SPARSE_INPUT.replace("[20]", "[64]"), true);
        assertEquals(1, wide.split("\\.predictInputGemm\\(exec, inputRows, transposed, n, 70, 64,", -1).length - 1,
                "64 features: prediction row by row " + wide);
        assertEquals(0, wide.split("\\.gemm\\(exec, false, true, n, 70, 64,", -1).length - 1, wide);
        String plan = TestModels.compile(SPARSE_INPUT, true).trainPlan().dump();
        assertEquals(2, plan.split("sparse input when", -1).length - 1, "the plan names both products: " + plan);
        String narrow = TestModels.compile(SPARSE_INPUT, true).inferPlan().dump();
        assertEquals(0, narrow.split("sparse rows", -1).length - 1, "20 features: no note " + narrow);
        String wideInfer = TestModels.compile(SPARSE_INPUT.replace("[20]", "[64]"), true).inferPlan().dump();
        assertEquals(1, wideInfer.split("sparse rows one by one", -1).length - 1, "the inference plan notes it: " + wideInfer);
    }

    @org.junit.jupiter.api.Test
    void theWinogradModelRunsEveryConvolutionPassByWinograd() {
        String java = TestModels.source(WINOGRAD, true);
        assertEquals(7, java.split("ConvAlgorithm.WINOGRAD", -1).length - 1, "forward 2 (train) + 2 (infer), data 1, weights 2");
        assertEquals(2, java.split("conv2dBackwardWeights\\(exec, \\w+, ConvAlgorithm.WINOGRAD", -1).length - 1);
        String plan = TestModels.compile(WINOGRAD, true).trainPlan().dump();
        assertTrue(plan.matches("(?s).*relu .*winograd F\\(4x4,3x3\\).*"), plan);
    }

    /**
     * The CNN's 3x3 convolutions on 2 and 5 channels (18 and 45 terms per output) run their
     * forward pass and their weight gradient direct, their data gradient by im2col + GEMM.
     */
    @org.junit.jupiter.api.Test
    void convolutionsWithFewTermsPerOutputRunTheirForwardAndWeightPassesDirect() {
        String java = TestModels.source(CNN, true);
        assertEquals(6, java.split("ConvAlgorithm.DIRECT", -1).length - 1, "2 forward (train) + 2 (infer), weights 2");
        assertEquals(2, java.split("conv2dBackwardWeights\\(exec, \\w+, ConvAlgorithm.DIRECT", -1).length - 1);
        assertEquals(0, java.split("conv2dBackwardData\\(exec, \\w+, ConvAlgorithm.DIRECT", -1).length - 1);
        String plan = TestModels.compile(CNN, true).trainPlan().dump();
        assertTrue(plan.matches("(?s).*relu .*  direct\\n.*"), plan);
        assertTrue(plan.matches("(?s).*conv2d_dw .*\\[5, 5, 3, 3\\]  direct\\n.*"), plan);
        assertTrue(plan.matches("(?s).*conv2d_dw .*\\[3, 2, 3, 3\\]  direct\\n.*"), plan);
    }

    @ParameterizedTest(name = "{0}, fused {1}")
    @CsvSource({"EVERY_OP, true", "EVERY_OP, false", "CNN, true", "CNN, false", "WINOGRAD, true",
        "WINOGRAD, false", "FIRST_LAYER, true", "FIRST_LAYER, false", "BINARY, true", "BINARY, false",
        "REGRESSION, true", "REGRESSION, false", "SPARSE_INPUT, true", "SPARSE_INPUT, false"})
    void generatedGradientsMatchFiniteDifferences(String which, boolean fuse) throws Exception {
        String text = (String) GeneratedGradientTest.class.getDeclaredField(which).get(null);
        CompileResult r = TestModels.build(text, fuse);
        Compilation c = r.compilation();
        CompiledModel model = r.newModel();
        model.initialize(3);
        int rows = 5;
        long seed = 11;
        SplittableRandom rng = new SplittableRandom(5);
        int inputSize = model.spec().inputSize();
        int targetSize = model.spec().targetSize();
        double[] x = new double[rows * inputSize];
        double[] t = new double[rows * targetSize];
        boolean sparse = which.equals("SPARSE_INPUT");
        for (int i = 0; i < x.length; i++) {
            x[i] = sparse && rng.nextDouble() < 0.75 ? BACKGROUND : rng.nextDouble(-2, 2);
        }
        for (int i = 0; i < t.length; i++) {
            t[i] = switch (c.objective()) {
                case CLASSIFY -> rng.nextInt(model.spec().outputSize());
                case BINARY -> rng.nextInt(2);
                default -> rng.nextDouble(-1, 1);
            };
        }
        try (Exec exec = Exec.threads(2)) {
            Training training = model.newTraining(exec, rows, seed, 0.1f);
            float[] arena = training.arena();
            for (int i = 0; i < x.length; i++) {
                arena[training.inputOffset() + i] = (float) x[i];
            }
            for (int i = 0; i < t.length; i++) {
                arena[training.targetOffset() + i] = (float) t[i];
            }
            if (sparse) {
                float[] in = java.util.Arrays.copyOfRange(arena, training.inputOffset(), training.inputOffset() + x.length);
                assertTrue(new SparseRows().build(Backend.SCALAR.sparse(), in, 0, inputSize, rows, inputSize),
                        "the input is sparse enough for the sparse products");
            }
            float loss = training.computeGradients(rows);
            float[] grads = training.gradients();
            int stepKey = DropoutMask.key(seed, 0);

            Graph g = c.trainGraph();
            Map<Integer, double[]> feeds = new HashMap<>();
            Map<String, double[]> params = new HashMap<>();
            for (Node n : g.nodes()) {
                if (n.op() == Ops.INPUT) {
                    feeds.put(n.id(), x);
                } else if (n.op() == Ops.TARGET) {
                    feeds.put(n.id(), t);
                } else if (n.op() == Ops.PARAM) {
                    ParamAttrs p = (ParamAttrs) n.attrs();
                    TensorSpec spec = model.spec().tensor(p.name());
                    double[] v = new double[spec.size()];
                    for (int i = 0; i < v.length; i++) {
                        v[i] = model.params[spec.offset() + i];
                    }
                    params.put(p.name(), v);
                    feeds.put(n.id(), v);
                }
            }
            double reference = Interpreter.run(g, rows, feeds, stepKey).stats()[0];
            assertEquals(reference, loss, 1e-4 * Math.max(1, Math.abs(reference)), "loss of generated code");

            for (TensorSpec spec : model.spec().tensors()) {
                if (!spec.trainable()) {
                    continue;
                }
                double[] v = params.get(spec.name());
                int step = Math.max(1, v.length / 12);
                for (int i = 0; i < v.length; i += step) {
                    double saved = v[i];
                    v[i] = saved + H;
                    double plus = Interpreter.run(g, rows, feeds, stepKey).stats()[0] / rows;
                    v[i] = saved - H;
                    double minus = Interpreter.run(g, rows, feeds, stepKey).stats()[0] / rows;
                    v[i] = saved;
                    double numeric = (plus - minus) / (2 * H);
                    double analytic = grads[spec.offset() + i];
                    double err = Math.abs(analytic - numeric) / Math.max(Math.abs(numeric), SCALE);
                    assertTrue(err < TOLERANCE, String.format("%s [%d]: generated %.6g, finite differences %.6g",
                            spec.name(), i, analytic, numeric));
                }
            }
        }
    }
}
