package nnc.compiler.pass;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import nnc.compiler.Compilation;
import nnc.compiler.TestModels;
import nnc.compiler.ir.Graph;
import nnc.compiler.ir.Node;
import nnc.compiler.ir.Ops;
import nnc.compiler.ir.ops.Conv2dMaxPool;
import nnc.runtime.kernels.ConvAlgorithm;
import org.junit.jupiter.api.Test;

/**
 * {@link BlockChannels}: which tensors between a direct and a Winograd {@code conv2d_maxpool}
 * are stored channel-blocked, and which are not. The kernels' bits in either layout are the
 * runtime's {@code BlockedLayoutContractTest}.
 */
class BlockChannelsTest {
    private static final String TRAIN = """
            data d = csv("unused.csv")
            train M on d { loss cross_entropy }
            """;

    @Test
    void theSimpleCnnStoresTheTensorBetweenItsConvolutionsBlocked() throws Exception {
        Compilation c = TestModels.compileFile(TestModels.root().resolve("samples").resolve("fashion_cnn.nn"), true);
        List<Conv2dMaxPool.Attrs> fused = pooled(c.inferGraph());
        assertEquals(2, fused.size());
        assertEquals(ConvAlgorithm.DIRECT, fused.get(0).algorithm());
        assertEquals(ConvAlgorithm.WINOGRAD, fused.get(1).algorithm());
        assertFalse(fused.get(0).blockedIn());
        assertTrue(fused.get(0).blockedOut(), "conv1 writes [32, 13, 13] blocked");
        assertTrue(fused.get(1).blockedIn(), "conv2 reads it blocked");
        assertFalse(fused.get(1).blockedOut(), "conv2's output goes to flatten: NCHW");
        String plan = c.inferPlan().dump();
        assertTrue(plan.contains("direct + maxpool 2x2, NCHWc out"), plan);
        assertTrue(plan.contains("winograd F(4x4,3x3) + maxpool 2x2, NCHWc in"), plan);
    }

    @Test
    void aTensorWithAnotherReaderStaysNchw() {
        String src = """
                model M {
                    input x: [1, 28, 28]
                    h = x -> conv2d(32, 3) -> relu -> maxpool(2)
                    a = h -> conv2d(64, 3) -> relu -> maxpool(2) -> flatten
                    b = h -> avgpool(2) -> flatten
                    concat(a, b) -> linear(3)
                }
                """ + TRAIN;
        List<Conv2dMaxPool.Attrs> fused = pooled(TestModels.compile(src, true).inferGraph());
        assertEquals(List.of(ConvAlgorithm.DIRECT, ConvAlgorithm.WINOGRAD),
                fused.stream().map(Conv2dMaxPool.Attrs::algorithm).toList(), "the pair the pass looks for");
        assertTrue(fused.stream().noneMatch(a -> a.blockedIn() || a.blockedOut()), fused.toString());
    }

    @Test
    void aChannelCountNotAMultipleOf16StaysNchw() {
        String src = """
                model M {
                    input x: [1, 28, 28]
                    x -> conv2d(24, 3) -> relu -> maxpool(2) -> conv2d(64, 3) -> relu -> maxpool(2)
                      -> flatten -> linear(3)
                }
                """ + TRAIN;
        List<Conv2dMaxPool.Attrs> fused = pooled(TestModels.compile(src, true).inferGraph());
        assertEquals(List.of(ConvAlgorithm.DIRECT, ConvAlgorithm.WINOGRAD),
                fused.stream().map(Conv2dMaxPool.Attrs::algorithm).toList(), "the pair the pass looks for");
        assertTrue(fused.stream().noneMatch(a -> a.blockedIn() || a.blockedOut()), fused.toString());
    }

    @Test
    void aReaderOtherThanWinogradOrTrainingLeavesTheLayoutAlone() {
        String src = """
                model M {
                    input x: [1, 28, 28]
                    x -> conv2d(32, 3) -> relu -> maxpool(2) -> conv2d(16, 1) -> relu
                      -> flatten -> linear(3)
                }
                """ + TRAIN;
        Compilation c = TestModels.compile(src, true);
        List<Conv2dMaxPool.Attrs> fused = pooled(c.inferGraph());
        assertEquals(List.of(ConvAlgorithm.DIRECT), fused.stream().map(Conv2dMaxPool.Attrs::algorithm).toList(),
                "a 1x1 convolution (im2col + GEMM) reads the pooled tensor");
        assertFalse(fused.get(0).blockedOut());
        assertTrue(pooled(c.trainGraph()).isEmpty());
    }

    private static List<Conv2dMaxPool.Attrs> pooled(Graph g) {
        return g.nodes().stream().filter(n -> n.op() == Ops.CONV2D_MAXPOOL)
                .map((Node n) -> n.attrs(Conv2dMaxPool.Attrs.class)).toList();
    }
}
