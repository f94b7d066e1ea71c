package nnc.compiler.pass;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import nnc.compiler.diag.Diagnostics;
import nnc.compiler.ir.Graph;
import nnc.compiler.ir.Node;
import nnc.compiler.ir.Ops;
import nnc.compiler.ir.Origin;
import nnc.compiler.ir.ops.Conv2dMaxPool;
import nnc.runtime.kernels.Act;

/**
 * Pass, inference graphs only: a convolution, its bias, its ReLU and the max pooling of its
 * output become one {@code conv2d_maxpool} node, whose kernel pools the convolution's results
 * before it stores them (a direct convolution in registers, a Winograd one in its channels-last
 * output slot). For a small image model the convolutions' outputs are the largest tensors of
 * the network (32 x 26 x 26 floats per sample in the tutorial's CNN, four times their pooled
 * size), each written once and read back once by the pooling.
 *
 * <pre>
 *   before   c = conv2d(x, w)   s = bias_add(c, b)   [r = relu(s)]   m = maxpool(r or s)
 *   after    m = conv2d_maxpool(x, w, b)
 * </pre>
 *
 * It applies when the convolution runs direct or by Winograd and the pooling is 2x2 at stride
 * 2 without padding ({@link Conv2dMaxPool#fits}), the bias is a parameter, and each of
 * {@code c}, {@code s} and {@code r} is read only by the next node of the chain (and is not the
 * model's output). The results keep their bits: the fused kernel computes each convolution
 * output as the unfused one does, and the maximum commutes with adding the bias and the ReLU.
 *
 * <p>Training graphs are left alone: the backward pass reads the convolution's output (the
 * ReLU's, through the pooling's gradient). It runs after {@link ApplyRewrites} and before
 * {@link FuseOps}, which sees the fused node as an anchor; {@code --no-fuse} skips it.
 */
public final class FuseConvPool implements Pass<Graph, Graph> {
    /** One chain to fuse: the pooling node, the nodes it absorbs, and the fused node's parts. */
    private record Chain(Node pool, List<Integer> absorbed, Node conv, int bias, boolean relu) {
    }

    @Override
    public Graph run(Graph g, Diagnostics d) {
        if (g.mode() != Graph.Mode.INFER) {
            return g;
        }
        Map<Integer, Chain> chains = new HashMap<>();
        Set<Integer> absorbed = new HashSet<>();
        for (Node n : g.nodes()) {
            Chain c = match(g, n);
            if (c != null) {
                chains.put(n.id(), c);
                absorbed.addAll(c.absorbed());
            }
        }
        return chains.isEmpty() ? g : rebuild(g, chains, absorbed);
    }

    /** The chain that ends in pooling node {@code m}, or null when {@code m} is not such an end. */
    private static Chain match(Graph g, Node m) {
        if (m.inputs().isEmpty() || !onlyReadBy(g, m.input(0), m)) {
            return null;
        }
        Node r = g.node(m.input(0));
        boolean relu = r.op().appliedActivation() == Act.RELU;
        Node s = relu ? g.node(r.input(0)) : r;
        if (s.op().channelBiasInput() != 1 || !g.isParam(s.input(1)) || (relu && !onlyReadBy(g, s.id(), r))) {
            return null;
        }
        Node c = g.node(s.input(0));
        if (!onlyReadBy(g, c.id(), s) || !Conv2dMaxPool.fits(c, m)) {
            return null;
        }
        List<Integer> absorbed = relu ? List.of(c.id(), s.id(), r.id()) : List.of(c.id(), s.id());
        return new Chain(m, absorbed, c, s.input(1), relu);
    }

    /** True when {@code reader} is the only node that reads {@code value}, and it is no root of the graph. */
    private static boolean onlyReadBy(Graph g, int value, Node reader) {
        return g.users(value).equals(List.of(reader.id())) && value != g.output() && value != g.loss()
                && value != g.target() && !g.paramGrads().containsValue(value);
    }

    /** The graph with each chain's pooling node replaced by the fused node and the absorbed nodes gone. */
    private static Graph rebuild(Graph g, Map<Integer, Chain> chains, Set<Integer> absorbed) {
        Graph.Builder b = new Graph.Builder(g.name(), g.mode());
        int[] map = new int[g.size()];
        for (Node n : g.nodes()) {
            Chain c = chains.get(n.id());
            if (absorbed.contains(n.id())) {
                map[n.id()] = -1;
            } else if (c != null) {
                map[n.id()] = b.addChecked(Ops.CONV2D_MAXPOOL, Conv2dMaxPool.attrs(c.conv(), c.pool(), c.relu()),
                        origin(c.conv(), c.pool()), map[c.conv().input(0)], map[c.conv().input(1)], map[c.bias()]);
            } else {
                map[n.id()] = b.addTyped(n.op(), n.attrs(), n.origin(), n.inputs().stream().map(i -> map[i]).toList(),
                        n.type());
            }
        }
        return b.rootsOf(g, map).build();
    }

    /**
     * The pooling layer's origin (its value keeps the layer's name), spanning the text from the
     * convolution to the pooling when both are written in the same body, as in
     * {@code conv2d(32, 3) -> relu -> maxpool(2)}, so the generated comment quotes the chain.
     */
    private static Origin origin(Node conv, Node pool) {
        Origin c = conv.origin();
        Origin p = pool.origin();
        boolean sameBody = scope(c.layer()).equals(scope(p.layer())) && c.span().isKnown() && p.span().isKnown()
                && c.span().start() <= p.span().start();
        return sameBody ? new Origin(c.span().to(p.span()), p.layer(), c.call() + " -> " + p.call(), p.phase()) : p;
    }

    /** The block instance path of a layer name ({@code Residual_1} for {@code Residual_1/conv2d_2}), or "". */
    private static String scope(String layer) {
        return layer == null || layer.lastIndexOf('/') < 0 ? "" : layer.substring(0, layer.lastIndexOf('/'));
    }
}
