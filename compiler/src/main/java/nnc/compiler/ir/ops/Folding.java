package nnc.compiler.ir.ops;

import nnc.compiler.ir.Graph;
import nnc.compiler.ir.Node;
import nnc.compiler.ir.Op;

/**
 * The two sides of {@link Op#computedBy}: which values may be written by another node's kernel,
 * and which of them a kernel writes (a bias gradient in conv2d_dw; gamma and beta gradients in
 * batchnorm_dx).
 */
final class Folding {
    private Folding() {
    }

    /**
     * True when {@code node} is a parameter's gradient that nothing else reads, so another kernel
     * may write it at another point of the schedule.
     */
    static boolean foldable(Graph graph, Node node) {
        return graph.paramGrads().containsValue(node.id()) && graph.users(node.id()).isEmpty();
    }

    /** The node of {@code op} among the readers of {@code kernel}'s first input that {@code kernel} computes, or null. */
    static Node computedHere(Graph graph, Node kernel, Op op) {
        for (int user : graph.users(kernel.input(0))) {
            Node n = graph.node(user);
            if (n.op() == op && n.op().computedBy(graph, n) == kernel.id()) {
                return n;
            }
        }
        return null;
    }
}
