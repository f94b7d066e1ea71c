package nnc.compiler.pass;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import nnc.compiler.diag.Diagnostics;
import nnc.compiler.ir.Graph;
import nnc.compiler.ir.Node;
import nnc.compiler.ir.Pattern;
import nnc.compiler.ir.KernelSchedule;
import nnc.compiler.ir.KernelSchedule.Kernel;
import nnc.compiler.ir.KernelSchedule.Step;

/**
 * Pass: decides which ops share a kernel. It reads only the ops' fusion patterns and the
 * hooks they declare, never an op's name.
 *
 * <p>It runs after {@link ApplyRewrites}. Grouping (after TVM's FuseOps, greedy in topological order). A node not yet in
 * a kernel starts one: an anchor that accepts an epilogue (OUT_FUSABLE: GEMM, convolution), a
 * pointwise node (a pass over its input), or any other node alone. The kernel then grows
 * along the chain of its last value: a user joins when it is pointwise, can take the value on
 * that input ({@code chainsOn}), belongs to the same phase (forward, loss or backward), and
 * reads nothing else that is computed at or after the kernel's first node (sources are always
 * ready). Among several
 * such users the first joins; the value is then also stored for the others. Because every
 * side operand of a chain is computed before the chain starts, running kernels in the order
 * of their first nodes respects every dependency.
 *
 * <p>A chain stops at {@link #MAX_STEPS} steps: an epilogue is one fluent call chain in the
 * generated Java, and javac recurses once per call (a thousand batch norms in a row would
 * overflow its stack).
 *
 * <p>Without fusion ({@code --no-fuse}) every op is its own kernel.
 */
public final class FuseOps implements Pass<Graph, KernelSchedule> {
    /** Steps of one epilogue, at most; real chains have a handful. */
    static final int MAX_STEPS = 32;

    private final boolean fuse;

    public FuseOps(boolean fuse) {
        this.fuse = fuse;
    }

    @Override
    public KernelSchedule run(Graph graph, Diagnostics d) {
        return new KernelSchedule(graph, group(graph, fuse), fuse);
    }

    // ---- grouping ----

    private static List<Kernel> group(Graph g, boolean fuse) {
        List<Kernel> kernels = new ArrayList<>();
        Set<Integer> assigned = new HashSet<>();
        for (Node n : g.nodes()) {
            if (n.op().pattern() == Pattern.SOURCE || n.op().isView() || assigned.contains(n.id())) {
                continue;
            }
            int anchor;
            int source;
            List<Step> steps = new ArrayList<>();
            if (n.op().pattern().isPointwise()) {
                anchor = -1;
                source = n.input(0);
                steps.add(new Step(n.id(), 0));
            } else {
                anchor = n.id();
                source = -1;
            }
            assigned.add(n.id());
            boolean chains = anchor < 0 || n.op().acceptsEpilogue();
            int current = n.id();
            while (fuse && chains && steps.size() < MAX_STEPS) {
                Step next = nextStep(g, current, n.id(), assigned);
                if (next == null) {
                    break;
                }
                steps.add(next);
                assigned.add(next.node());
                current = next.node();
            }
            Kernel k = new Kernel(anchor, source, steps, List.of());
            kernels.add(new Kernel(anchor, source, steps, stored(g, k)));
        }
        return kernels;
    }

    /** The user of {@code value} that can join the kernel started at {@code first}, or null. */
    private static Step nextStep(Graph g, int value, int first, Set<Integer> assigned) {
        Node from = g.node(value);
        for (int u : g.users(value)) {
            Node user = g.node(u);
            if (assigned.contains(u) || !user.op().pattern().isPointwise() || !user.type().sameShape(from.type())
                    || user.origin().phase() != g.node(first).origin().phase()) {
                continue;
            }
            for (int i = 0; i < user.inputs().size(); i++) {
                if (user.input(i) == value && user.op().chainsOn(i) && othersReady(g, user, i, first)) {
                    return new Step(u, i);
                }
            }
        }
        return null;
    }

    /** Side operands must exist before the kernel starts: sources, or values computed earlier. */
    private static boolean othersReady(Graph g, Node user, int chainInput, int first) {
        for (int i = 0; i < user.inputs().size(); i++) {
            int in = user.input(i);
            if (i != chainInput && in >= first && g.node(in).op().pattern() != Pattern.SOURCE) {
                return false;
            }
        }
        return true;
    }

    /** Intermediate values of the kernel that something outside it reads (or that are roots). */
    private static List<Integer> stored(Graph g, Kernel k) {
        List<Integer> members = k.members();
        List<Integer> out = new ArrayList<>();
        for (int m : members) {
            if (m == k.output()) {
                continue;
            }
            boolean outside = g.users(m).stream().anyMatch(u -> !members.contains(u)) || isRoot(g, m);
            if (outside) {
                out.add(m);
            }
        }
        return out;
    }

    static boolean isRoot(Graph g, int v) {
        return v == g.output() || v == g.loss() || g.paramGrads().containsValue(v);
    }
}
