package nnc.compiler.pass;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import nnc.compiler.Compilation;
import nnc.compiler.TestModels;
import nnc.compiler.diag.Diagnostics;
import nnc.compiler.diag.SourceFile;
import nnc.compiler.ir.Graph;
import nnc.compiler.ir.Interpreter;
import nnc.compiler.ir.Node;
import nnc.compiler.ir.Ops;
import nnc.compiler.ir.Pattern;
import nnc.compiler.ir.ops.Conv2dMaxPool;
import nnc.runtime.kernels.ConvAlgorithm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link FuseConvPool}, IR before and after: which chains become one {@code conv2d_maxpool}
 * node in inference (and never in training), which do not, and that the fused graph computes
 * what the unfused one does in the reference interpreter. The kernel's bits against the
 * unfused kernels are the runtime's {@code ConvPoolContractTest}.
 */
class FuseConvPoolTest {
    private static final String TRAIN = """
            data d = csv("unused.csv")
            train M on d { loss cross_entropy }
            """;

    private static String model(String chain) {
        return """
                model M {
                    input x: [2, 12, 10]
                    x -> %s -> flatten -> linear(3)
                }
                """.formatted(chain) + TRAIN;
    }

    @Test
    void convBiasReluMaxPoolBecomeOneNodeInInferenceOnly() {
        Compilation c = TestModels.compile(model("conv2d(4, 3) -> relu -> maxpool(2)"), true);
        assertEquals(List.of("conv2d_maxpool", "matmul > bias_add", "loss"),
                FuseOpsTest.chains(c.inferPlan().schedule()));
        Node fused = only(c.inferGraph(), Ops.CONV2D_MAXPOOL);
        Conv2dMaxPool.Attrs a = fused.attrs(Conv2dMaxPool.Attrs.class);
        assertTrue(a.relu());
        assertEquals("conv2d_1", a.convLayer());
        assertEquals("maxpool_1", fused.origin().layer(), "the pooled value keeps the pooling layer's name");
        List<String> train = FuseOpsTest.forward(c.trainPlan().schedule());
        assertEquals(List.of("conv2d > bias_add > relu", "maxpool", "matmul > bias_add", "loss"), train);
        assertTrue(c.trainGraph().nodes().stream().noneMatch(n -> n.op() == Ops.CONV2D_MAXPOOL));
        Compilation unfused = TestModels.compile(model("conv2d(4, 3) -> relu -> maxpool(2)"), false);
        assertTrue(unfused.inferGraph().nodes().stream().noneMatch(n -> n.op() == Ops.CONV2D_MAXPOOL),
                "--no-fuse keeps the separate nodes");
    }

    @Test
    void withoutAReluThePoolingStillJoins() {
        Compilation c = TestModels.compile(model("conv2d(4, 3, pad: same) -> maxpool(2)"), true);
        assertEquals(List.of("conv2d_maxpool", "matmul > bias_add", "loss"),
                FuseOpsTest.chains(c.inferPlan().schedule()));
        assertFalse(only(c.inferGraph(), Ops.CONV2D_MAXPOOL).attrs(Conv2dMaxPool.Attrs.class).relu());
    }

    @Test
    void aWinogradConvolutionPoolsToo() {
        Compilation c = TestModels.compile(model("conv2d(8, 3) -> relu -> conv2d(16, 3) -> relu -> maxpool(2)"), true);
        assertEquals(List.of("conv2d > bias_add > relu", "conv2d_maxpool", "matmul > bias_add", "loss"),
                FuseOpsTest.chains(c.inferPlan().schedule()));
        Conv2dMaxPool.Attrs a = only(c.inferGraph(), Ops.CONV2D_MAXPOOL).attrs(Conv2dMaxPool.Attrs.class);
        assertEquals(ConvAlgorithm.WINOGRAD, a.algorithm());
        assertEquals("conv2d_2", a.convLayer());
    }

    /** Chains the kernel cannot compute, or whose intermediate values something else reads, stay apart. */
    @ParameterizedTest
    @ValueSource(strings = {
        "conv2d(4, 3) -> relu -> maxpool(3)",                 // 3x3 windows
        "conv2d(4, 3) -> relu -> maxpool(2, stride: 1)",      // overlapping windows
        "conv2d(4, 3) -> relu -> avgpool(2)",                 // not a maximum
        "conv2d(4, 3) -> tanh -> maxpool(2)",                 // an activation other than ReLU
        "conv2d(4, 3, stride: 2) -> relu -> maxpool(2)",      // a strided convolution (not direct)
        "conv2d(32, 3) -> conv2d(16, 1) -> relu -> maxpool(2)", // a 1x1 convolution (im2col + GEMM)
    })
    void chainsTheKernelCannotComputeStayApart(String chain) {
        Compilation c = TestModels.compile(model(chain), true);
        assertTrue(c.inferGraph().nodes().stream().noneMatch(n -> n.op() == Ops.CONV2D_MAXPOOL),
                () -> chain + ": " + FuseOpsTest.chains(c.inferPlan().schedule()));
    }

    @Test
    void aReluValueReadElsewhereIsNotAbsorbed() {
        String src = """
                model M {
                    input x: [2, 8, 8]
                    h = x -> conv2d(4, 3) -> relu
                    p = h -> maxpool(2)
                    q = h -> avgpool(2)
                    concat(p, q) -> flatten -> linear(3)
                }
                """ + TRAIN;
        Compilation c = TestModels.compile(src, true);
        assertTrue(c.inferGraph().nodes().stream().noneMatch(n -> n.op() == Ops.CONV2D_MAXPOOL));
    }

    /** The reference interpreter gives the fused graph's output the values of the unfused one. */
    @Test
    void theFusedGraphComputesWhatTheUnfusedOneDoes() {
        Compilation c = TestModels.compile(model("conv2d(4, 3, pad: same) -> relu -> maxpool(2)"), true);
        Graph before = new SpecializeMode(Graph.Mode.INFER).run(c.network().graph(), new Diagnostics(
                new SourceFile("test.nn", "")));
        Graph after = new FuseConvPool().run(before, new Diagnostics(new SourceFile("test.nn", "")));
        assertEquals(1, after.nodes().stream().filter(n -> n.op() == Ops.CONV2D_MAXPOOL).count());
        int rows = 3;
        double[] a = Interpreter.run(before, rows, feeds(before, rows), 0).value(before.output());
        double[] b = Interpreter.run(after, rows, feeds(after, rows), 0).value(after.output());
        assertEquals(a.length, b.length);
        for (int i = 0; i < a.length; i++) {
            assertEquals(a[i], b[i], 1e-12 * Math.max(1, Math.abs(a[i])), "output " + i);
        }
    }

    /** Random values for the sources, the same for both graphs (their sources come in the same order). */
    private static Map<Integer, double[]> feeds(Graph g, int rows) {
        SplittableRandom r = new SplittableRandom(7);
        Map<Integer, double[]> feeds = new HashMap<>();
        for (Node n : g.nodes()) {
            if (n.op().pattern() == Pattern.SOURCE) {
                double[] v = new double[n.type().size() * (n.type().batched() ? rows : 1)];
                for (int i = 0; i < v.length; i++) {
                    v[i] = r.nextDouble(-1, 1);
                }
                feeds.put(n.id(), v);
            }
        }
        return feeds;
    }

    private static Node only(Graph g, Object op) {
        List<Node> found = g.nodes().stream().filter(n -> n.op() == op).toList();
        assertEquals(1, found.size(), () -> "nodes of " + op + " in " + g.nodes());
        return found.get(0);
    }
}
