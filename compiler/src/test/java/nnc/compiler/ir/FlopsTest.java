package nnc.compiler.ir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import nnc.compiler.Compilation;
import nnc.compiler.TestModels;
import org.junit.jupiter.api.Test;

/** {@link Op#flops}: the counts of the heavy ops by hand, and a count for every op of every sample. */
class FlopsTest {
    private static long flops(Graph g, Node n) {
        return n.op().flops(n, n.inputs().stream().map(g::type).toList());
    }

    /** The FLOPs of each forward op of one layer, by op name, in graph order. */
    private static List<String> layerOps(Compilation c, String layer) {
        Graph g = c.network().graph();
        return g.nodes().stream().filter(n -> n.origin().layer().equals(layer) && n.op() != Ops.PARAM)
                .map(n -> n.op().name() + "=" + flops(g, n)).toList();
    }

    @Test
    void countsMultiplyAddsTwiceAndPointwiseOpsOncePerElement() {
        Compilation c = TestModels.compile("""
                model M {
                    input x: [3, 8, 8]
                    x -> conv2d(4, 3) -> relu -> maxpool(2) -> flatten -> linear(5) -> batchnorm -> softmax
                }
                """, true);
        // conv: 4 x 6 x 6 outputs, 3 x 3 x 3 taps each
        assertEquals(List.of("conv2d=" + 2 * 27 * 144, "bias_add=144"), layerOps(c, "conv2d_1"));
        assertEquals(List.of("relu=144"), layerOps(c, "relu_1"));
        assertEquals(List.of("maxpool=" + 4 * 36), layerOps(c, "maxpool_1"));
        assertEquals(List.of("reshape=0"), layerOps(c, "flatten_1"));
        assertEquals(List.of("matmul=" + 2 * 36 * 5, "bias_add=5"), layerOps(c, "linear_1"));
        assertEquals(List.of("batchnorm=40"), layerOps(c, "batchnorm_1"));
        assertEquals(List.of("softmax=25"), layerOps(c, "softmax_1"));
    }

    @Test
    void everyOpOfEverySampleHasACount() throws IOException {
        try (Stream<Path> files = Files.list(TestModels.root().resolve("samples"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".nn")).sorted().toList()) {
                Compilation c = TestModels.compileFile(f, false);
                for (Graph g : Stream.of(c.network().graph(), c.trainGraph(), c.inferGraph())
                        .filter(java.util.Objects::nonNull).toList()) {
                    for (Node n : g.nodes()) {
                        assertTrue(flops(g, n) >= 0, () -> f + ": " + n);
                    }
                }
            }
        }
    }
}
