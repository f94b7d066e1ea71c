package nnc.compiler.pass;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import nnc.compiler.diag.Diagnostics;
import nnc.compiler.ir.Graph;
import nnc.compiler.ir.Node;
import nnc.compiler.ir.ops.Conv2dMaxPool;
import nnc.runtime.kernels.ChannelLayout;
import nnc.runtime.kernels.ConvAlgorithm;

/**
 * Pass, inference graphs only: stores a tensor channel-blocked (NCHWc, {@link ChannelLayout})
 * when a direct {@code conv2d_maxpool} writes it and only Winograd {@code conv2d_maxpool} nodes
 * read it. The direct kernel computes a pixel's channels on the lanes and the Winograd one
 * reads them so (channels last), so in NCHW the tensor is transposed twice on its way, about a
 * tenth of the tutorial's CNN; blocked, both sides move whole vectors. The block is the
 * backend's ({@code Backend.channelBlock}: 8 with AVX2, else 1, which is NCHW), chosen at run
 * time; the tensor keeps its size and every value its bits.
 *
 * <pre>
 *   before   m = conv2d_maxpool[direct](x, w1, b1)              y = conv2d_maxpool[winograd](m, w2, b2)
 *   after    m = conv2d_maxpool[direct, NCHWc out](x, w1, b1)   y = conv2d_maxpool[winograd, NCHWc in](m, w2, b2)
 * </pre>
 *
 * It applies when {@code m} has at least one reader, every reader is such a Winograd node
 * reading it as its input (not as weights or bias), {@code m} is no root of the graph (its
 * layout is seen outside), and its channel count is a multiple of
 * {@link ChannelLayout#BLOCK_MULTIPLE}, so every backend's block divides it. It runs after
 * {@link FuseConvPool}, which makes the nodes, and before {@link FuseOps}: since {@code m}'s
 * readers are anchors, no epilogue is fused onto the producer.
 */
public final class BlockChannels implements Pass<Graph, Graph> {
    @Override
    public Graph run(Graph g, Diagnostics d) {
        if (g.mode() != Graph.Mode.INFER) {
            return g;
        }
        Set<Integer> producers = new HashSet<>();
        Set<Integer> consumers = new HashSet<>();
        for (Node n : g.nodes()) {
            if (producesBlocked(g, n)) {
                producers.add(n.id());
                consumers.addAll(g.users(n.id()));
            }
        }
        if (producers.isEmpty()) {
            return g;
        }
        Graph.Builder b = new Graph.Builder(g.name(), g.mode());
        int[] same = new int[g.size()];
        for (Node n : g.nodes()) {
            Object attrs = n.attrs();
            if (producers.contains(n.id()) || consumers.contains(n.id())) {
                attrs = Conv2dMaxPool.attrsOf(n).blocked(consumers.contains(n.id()),
                        producers.contains(n.id()));
            }
            same[n.id()] = b.addTyped(n.op(), attrs, n.origin(), n.inputs(), n.type());
        }
        return b.rootsOf(g, same).build();
    }

    /** True when {@code n}'s output can be stored channel-blocked (see the class comment). */
    static boolean producesBlocked(Graph g, Node n) {
        if (!isPooled(n, ConvAlgorithm.DIRECT)
                || Conv2dMaxPool.attrsOf(n).conv().o() % ChannelLayout.BLOCK_MULTIPLE != 0) {
            return false;
        }
        List<Integer> users = g.users(n.id());
        int id = n.id();
        if (users.isEmpty() || id == g.output() || id == g.loss() || id == g.target() || id == g.input()
                || g.paramGrads().containsValue(id)) {
            return false;
        }
        for (int u : users) {
            Node r = g.node(u);
            if (!isPooled(r, ConvAlgorithm.WINOGRAD) || r.input(0) != id || r.input(1) == id || r.input(2) == id) {
                return false;
            }
        }
        return true;
    }

    private static boolean isPooled(Node n, ConvAlgorithm a) {
        Conv2dMaxPool.Attrs attrs = Conv2dMaxPool.attrsOf(n);
        return attrs != null && attrs.algorithm() == a;
    }
}
