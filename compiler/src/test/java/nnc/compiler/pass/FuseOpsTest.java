package nnc.compiler.pass;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import nnc.compiler.Compilation;
import nnc.compiler.TestModels;
import nnc.compiler.ir.Graph;
import nnc.compiler.ir.Node;
import nnc.compiler.ir.Ops;
import nnc.compiler.ir.KernelSchedule;
import nnc.compiler.ir.KernelSchedule.Kernel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * IR before and after each fusion rule: the same source compiled with {@code --no-fuse} (every
 * op its own kernel, the graph as Differentiate left it) and fused (rewritten graph, kernels as
 * chains). Kernels are written as their ops in order, {@code "matmul > bias_add > relu"}, with
 * {@code " [stores relu]"} when an intermediate is also written out for a later reader.
 */
class FuseOpsTest {

    private static final String TRAIN_MSE = """
            data d = csv("unused.csv")
            train M on d { loss mse }
            """;

    // ---- linear + bias + activation into the GEMM epilogue (forward and inference) ----

    @Test
    void linearBiasActivationRunInTheGemmEpilogue() {
        String src = """
                model M {
                    input x: [6]
                    x -> linear(8) -> relu -> linear(3)
                }
                """ + TRAIN_MSE;
        Compilation before = TestModels.compile(src, false);
        Compilation after = TestModels.compile(src, true);
        assertEquals(List.of("matmul", "bias_add", "relu", "matmul", "bias_add", "loss"),
                chains(before.inferPlan().schedule()));
        assertEquals(List.of("matmul > bias_add > relu", "matmul > bias_add", "loss"),
                chains(after.inferPlan().schedule()));
        assertEquals(List.of("matmul > bias_add > relu", "matmul > bias_add", "loss"),
                forward(after.trainPlan().schedule()));
        assertEveryKernelHasOneOp(before.trainPlan().schedule());
    }

    // ---- dropout joins its neighbours, forward and backward; activation gradients ride the
    // backward GEMM ----

    @Test
    void dropoutAndActivationGradientsJoinTheirNeighbours() {
        String src = """
                model M {
                    input x: [6]
                    x -> linear(8) -> relu -> dropout(0.5) -> linear(3)
                }
                """ + TRAIN_MSE;
        Compilation before = TestModels.compile(src, false);
        Compilation after = TestModels.compile(src, true);
        assertEquals(List.of("matmul", "bias_add", "relu", "dropout", "matmul", "bias_add", "loss",
                "bias_grad", "matmul_dx", "matmul_dw", "dropout", "act_grad", "bias_grad", "matmul_dw"),
                chains(before.trainPlan().schedule()));
        // relu's output is stored for the backward act_grad; dropout (same mask, same step)
        // runs on the gradient inside the backward GEMM's epilogue.
        assertEquals(List.of("matmul > bias_add > relu > dropout [stores relu]", "matmul > bias_add", "loss",
                "bias_grad", "matmul_dx > dropout > act_grad", "matmul_dw", "bias_grad", "matmul_dw"),
                chains(after.trainPlan().schedule()));
        // Inference: dropout is the identity and is gone in both.
        assertFalse(chains(before.inferPlan().schedule()).contains("dropout"));
        assertEquals(List.of("matmul > bias_add > relu", "matmul > bias_add", "loss"),
                chains(after.inferPlan().schedule()));
    }

    // ---- softmax + cross-entropy: a rewrite, then one loss kernel ----

    @Test
    void softmaxAndCrossEntropyBecomeOneLoss() {
        String src = """
                model M {
                    input x: [6]
                    x -> linear(4) -> softmax
                }
                data d = csv("unused.csv")
                train M on d { loss cross_entropy }
                """;
        Compilation before = TestModels.compile(src, false);
        Compilation after = TestModels.compile(src, true);
        List<String> irBefore = ops(before.trainGraph());
        assertTrue(irBefore.contains("softmax"), irBefore::toString);
        assertTrue(irBefore.contains("loss(NLL)"), irBefore::toString);
        assertTrue(irBefore.contains("softmax_grad"), irBefore::toString);
        List<String> irAfter = ops(after.trainGraph());
        assertTrue(irAfter.contains("loss(SOFTMAX_CROSS_ENTROPY)"), irAfter::toString);
        assertFalse(irAfter.contains("softmax_grad"), irAfter::toString);
        assertFalse(irAfter.contains("loss(NLL)"), irAfter::toString);
        // The fused loss reads the logits; its gradient p - onehot feeds the backward directly.
        Graph g = after.trainGraph();
        Node loss = single(g, "loss(SOFTMAX_CROSS_ENTROPY)");
        assertEquals("bias_add", g.node(loss.input(0)).op().name());
        // The softmax is still computed once in training: it is the model's output.
        assertEquals(List.of("matmul > bias_add", "softmax", "loss", "bias_grad", "matmul_dw"),
                chains(after.trainPlan().schedule()));
        assertEquals(List.of("matmul", "bias_add", "softmax", "loss", "softmax_grad", "bias_grad", "matmul_dw"),
                chains(before.trainPlan().schedule()));
    }

    // ---- sigmoid + binary cross-entropy: the same rewrite ----

    @Test
    void sigmoidAndBinaryCrossEntropyBecomeOneLoss() {
        String src = """
                model M {
                    input x: [6]
                    x -> linear(1) -> sigmoid
                }
                data d = csv("unused.csv")
                train M on d { loss binary_cross_entropy }
                """;
        Compilation before = TestModels.compile(src, false);
        Compilation after = TestModels.compile(src, true);
        assertEquals(List.of("matmul", "bias_add", "sigmoid", "loss", "act_grad", "bias_grad", "matmul_dw"),
                chains(before.trainPlan().schedule()));
        assertTrue(ops(before.trainGraph()).contains("loss(BCE)"));
        assertTrue(ops(after.trainGraph()).contains("loss(SIGMOID_BCE)"));
        // The sigmoid stays for the model's output (and stores the logits the loss reads).
        assertEquals(List.of("matmul > bias_add > sigmoid [stores bias_add]", "loss", "bias_grad", "matmul_dw"),
                chains(after.trainPlan().schedule()));
    }

    // ---- batch norm folded into the preceding convolution for inference ----

    @Test
    void inferenceBatchNormRunsInTheConvolutionEpilogue() {
        String src = """
                model M {
                    input x: [2, 6, 6]
                    x -> conv2d(3, 3) -> batchnorm -> relu -> global_avgpool -> linear(2)
                }
                """ + TRAIN_MSE;
        Compilation before = TestModels.compile(src, false);
        Compilation after = TestModels.compile(src, true);
        assertEquals(List.of("conv2d", "bias_add", "batchnorm_infer", "relu", "avgpool", "matmul", "bias_add",
                "loss"), chains(before.inferPlan().schedule()));
        assertEquals(List.of("conv2d > bias_add > batchnorm_infer > relu", "avgpool", "matmul > bias_add", "loss"),
                chains(after.inferPlan().schedule()));
        // Training normalises with batch statistics (a reduction): not an epilogue of the
        // convolution, but its own kernel, which runs the ReLU as it stores.
        assertTrue(forward(after.trainPlan().schedule()).contains("batchnorm > relu"),
                () -> forward(after.trainPlan().schedule()).toString());
        assertTrue(after.inferPlan().arenaBytes(64) < before.inferPlan().arenaBytes(64));
    }

    // ---- residual add (and the activation after it) into the GEMM epilogue ----

    @Test
    void residualAddRunsInTheConvolutionEpilogue() {
        String src = """
                block Res(c) {
                    input x
                    y = x -> conv2d(c, 3, pad: same)
                    (x + y) -> relu
                }
                model M {
                    input x: [2, 5, 5]
                    x -> Res(2) -> global_avgpool -> linear(2)
                }
                """ + TRAIN_MSE;
        Compilation before = TestModels.compile(src, false);
        Compilation after = TestModels.compile(src, true);
        assertEquals(List.of("conv2d", "bias_add", "add", "relu", "avgpool", "matmul", "bias_add", "loss"),
                chains(before.inferPlan().schedule()));
        assertEquals(List.of("conv2d > bias_add > add > relu", "avgpool", "matmul > bias_add", "loss"),
                chains(after.inferPlan().schedule()));
        assertEquals(List.of("conv2d > bias_add > add > relu", "avgpool", "matmul > bias_add", "loss"),
                forward(after.trainPlan().schedule()));
    }

    // ---- pooling backward takes the activation gradient as its epilogue ----

    @Test
    void poolingBackwardCarriesTheActivationGradient() {
        String src = """
                model M {
                    input x: [1, 6, 6]
                    x -> conv2d(2, 3) -> relu -> maxpool(2) -> flatten -> linear(2)
                }
                """ + TRAIN_MSE;
        Compilation before = TestModels.compile(src, false);
        Compilation after = TestModels.compile(src, true);
        List<String> unfused = chains(before.trainPlan().schedule());
        assertTrue(unfused.contains("maxpool_dx") && unfused.contains("act_grad"), unfused::toString);
        List<String> fused = chains(after.trainPlan().schedule());
        assertTrue(fused.contains("maxpool_dx > act_grad"), fused::toString);
        assertTrue(fused.contains("conv2d > bias_add > relu"), fused::toString);
    }

    // ---- the optimizer update, weight decay folded in: one pass over the parameters ----

    @ParameterizedTest(name = "{0}: {1} fused, {2} unfused")
    @CsvSource({
        "'adamw(lr: 1e-3, weight_decay: 0.01)', 1, 3",
        "'adam(lr: 1e-3, weight_decay: 0.01)', 1, 3",
        "'sgd(lr: 0.1, momentum: 0.9, nesterov: true, weight_decay: 5e-4)', 1, 4",
    })
    void optimizerUpdateIsOnePass(String optimizer, int fused, int unfused) {
        String src = """
                model M {
                    input x: [6]
                    x -> linear(3)
                }
                data d = csv("unused.csv")
                train M on d { loss mse; optimizer %s }
                """.formatted(optimizer);
        assertEquals(fused, optimizerPasses(TestModels.source(src, true)));
        assertEquals(unfused, optimizerPasses(TestModels.source(src, false)));
    }

    /** Calls of the optimizer kernels ({@code OptimizerKernels}) in generated code. */
    private static int optimizerPasses(String source) {
        return (int) java.util.regex.Pattern.compile("K\\.(sgd|adam|adamW|axpy|scale|momentum|adamMoments|adamApply)\\(")
                .matcher(source).results().count();
    }

    // ---- kernel counts of every sample ----

    @ParameterizedTest(name = "{0}: train {1} fused / {2} unfused, infer {3} / {4}")
    @CsvSource({
        "perceptron.nn,   5,   7,  2,  4",
        "moons.nn,       12,  21,  4, 10",
        "wave.nn,        12,  19,  4,  9",
        "mnist_mlp.nn,   12,  25,  4, 10",
        "fashion_mlp.nn, 12,  25,  4, 10",
        "fashion_cnn.nn, 20,  32,  5, 15",   // inference: two conv2d_maxpool (FuseConvPool)
        "fashion_cnn_bn.nn, 36, 53, 8, 22",
        "cifar_resnet.nn, 97, 137, 18, 56",
    })
    void samplesBecomeThisManyKernels(String sample, int trainFused, int trainUnfused, int inferFused,
                                      int inferUnfused) throws Exception {
        Path file = TestModels.root().resolve("samples").resolve(sample);
        Compilation fused = TestModels.compileFile(file, true);
        Compilation unfused = TestModels.compileFile(file, false);
        assertEquals(trainFused, fused.trainPlan().schedule().kernels().size(), "train, fused");
        assertEquals(trainUnfused, unfused.trainPlan().schedule().kernels().size(), "train, unfused");
        assertEquals(inferFused, fused.inferPlan().schedule().kernels().size(), "infer, fused");
        assertEquals(inferUnfused, unfused.inferPlan().schedule().kernels().size(), "infer, unfused");
        assertEveryKernelHasOneOp(unfused.trainPlan().schedule());
        assertEveryKernelHasOneOp(unfused.inferPlan().schedule());
        // Inference plans are smaller than training plans.
        assertTrue(fused.inferPlan().arenaBytes(64) < fused.trainPlan().arenaBytes(64));
    }

    // ---- helpers ----

    /** Each kernel as its ops in order. */
    static List<String> chains(KernelSchedule s) {
        List<String> out = new ArrayList<>();
        Graph g = s.graph();
        for (Kernel k : s.kernels()) {
            List<String> names = new ArrayList<>();
            for (int id : k.members()) {
                names.add(g.node(id).op().name());
            }
            String chain = String.join(" > ", names);
            if (!k.stored().isEmpty()) {
                chain += " [stores " + String.join(", ", k.stored().stream().map(v -> g.node(v).op().name()).toList())
                        + "]";
            }
            out.add(chain);
        }
        return out;
    }

    /** The kernels of the forward pass (up to and including the loss). */
    static List<String> forward(KernelSchedule s) {
        List<String> all = chains(s);
        return all.subList(0, all.indexOf("loss") + 1);
    }

    /** The graph's computing ops in order; losses with their kind. */
    static List<String> ops(Graph g) {
        List<String> out = new ArrayList<>();
        for (Node n : g.nodes()) {
            if (n.op() == Ops.LOSS) {
                Matcher m = Pattern.compile("kind=(\\w+)").matcher(String.valueOf(n.attrs()));
                out.add("loss(" + (m.find() ? m.group(1) : "?") + ")");
            } else {
                out.add(n.op().name());
            }
        }
        return out;
    }

    static Node single(Graph g, String op) {
        List<Node> found = new ArrayList<>();
        List<String> names = ops(g);
        for (int i = 0; i < names.size(); i++) {
            if (names.get(i).equals(op)) {
                found.add(g.node(i));
            }
        }
        assertEquals(1, found.size(), () -> op + " in " + names);
        return found.get(0);
    }

    static void assertEveryKernelHasOneOp(KernelSchedule s) {
        for (Kernel k : s.kernels()) {
            assertEquals(1, k.members().size(), () -> "unfused kernel with several ops: " + k);
            assertTrue(k.stored().isEmpty());
        }
    }

    static int count(String text, String needle) {
        int n = 0;
        for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) {
            n++;
        }
        return n;
    }
}
