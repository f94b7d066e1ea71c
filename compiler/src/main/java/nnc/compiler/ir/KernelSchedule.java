package nnc.compiler.ir;

import java.util.ArrayList;
import java.util.List;

/**
 * The kernels of a graph, in execution order: what FuseOps decided. Each kernel is an anchor
 * (a GEMM, a reduction, a loss...) or the start of a pointwise chain, followed by pointwise
 * steps that run as its epilogue.
 */
public record KernelSchedule(Graph graph, List<Kernel> kernels, boolean fused) {

    /** One step of a chain: a pointwise node and which of its inputs the chained value is. */
    public record Step(int node, int chainInput) {
    }

    /**
     * One kernel.
     *
     * @param anchor the node whose kernel runs, or -1 for a pointwise pass
     * @param source for a pointwise pass, the value it reads; -1 otherwise
     * @param steps  the pointwise nodes applied after the anchor (or to the source), in order
     * @param stored intermediate values of the chain that something outside it reads
     */
    public record Kernel(int anchor, int source, List<Step> steps, List<Integer> stored) {
        /** The value the kernel leaves in memory: its last node's. */
        public int output() {
            return steps.isEmpty() ? anchor : steps.get(steps.size() - 1).node();
        }

        /** Every node the kernel computes. */
        public List<Integer> members() {
            List<Integer> m = new ArrayList<>();
            if (anchor >= 0) {
                m.add(anchor);
            }
            steps.forEach(s -> m.add(s.node()));
            return m;
        }

        /** The first node, which fixes its place in the order. */
        public int first() {
            return anchor >= 0 ? anchor : steps.get(0).node();
        }
    }

    /**
     * The kernels that are generated: all but those whose anchor another node's kernel computes
     * ({@link Op#computedBy}, a bias gradient inside conv2d_dw).
     */
    public List<Kernel> emitted() {
        return kernels.stream().filter(k -> k.anchor() < 0
                || graph.node(k.anchor()).op().computedBy(graph, graph.node(k.anchor())) < 0).toList();
    }

    /** The kernel that computes {@code node}, or null (sources, views). */
    public Kernel kernelOf(int node) {
        for (Kernel k : kernels) {
            if (k.members().contains(node)) {
                return k;
            }
        }
        return null;
    }

    /** One line per kernel, for {@code --dump=fused}. */
    public String dump() {
        StringBuilder out = new StringBuilder();
        out.append("schedule ").append(graph.name()).append(" (").append(graph.mode().name().toLowerCase())
                .append(fused ? ", fused" : ", unfused").append("): ").append(kernels.size()).append(" kernels\n");
        int i = 0;
        for (Kernel k : kernels) {
            out.append(String.format("  k%-3d ", i++));
            if (k.anchor() >= 0) {
                out.append(graph.node(k.anchor()).op().name()).append(" %").append(k.anchor());
            } else {
                out.append("pointwise(%").append(k.source()).append(")");
            }
            for (Step s : k.steps()) {
                out.append(" -> ").append(graph.node(s.node()).op().name()).append(" %").append(s.node());
            }
            if (!k.stored().isEmpty()) {
                out.append("   stores ").append(k.stored().stream().map(v -> "%" + v).toList());
            }
            out.append("   # ").append(graph.node(k.first()).origin().isBackward() ? "backward of " : "")
                    .append(graph.node(k.first()).origin().layer()).append('\n');
        }
        return out.toString();
    }
}
