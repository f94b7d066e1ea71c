package nnc.compiler.pass;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import nnc.compiler.ir.Graph;
import nnc.compiler.ir.Node;
import nnc.compiler.ir.Pattern;
import nnc.compiler.ir.Rewrite;
import nnc.compiler.ir.KernelSchedule;
import nnc.compiler.ir.KernelSchedule.Kernel;
import nnc.compiler.ir.KernelSchedule.Step;

/**
 * Pass: decides which ops share a kernel. It reads only the ops' fusion patterns and the
 * hooks they declare, never an op's name.
 *
 * <p><b>1. Rewrites.</b> Each op may propose a local algebraic rewrite
 * ({@link nnc.compiler.ir.Op#rewrite}); a softmax feeding a cross-entropy becomes one loss
 * whose gradient is {@code p - onehot}. Nodes left without users are removed.
 *
 * <p><b>2. Grouping</b> (after TVM's FuseOps, greedy in topological order). A node not yet in
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
 * <p>Without fusion ({@code --no-fuse}) no rewrite is applied and every op is its own kernel.
 */
public final class FuseOps {
    private FuseOps() {
    }

    public static KernelSchedule run(Graph g, boolean fuse) {
        Graph graph = fuse ? rewrite(g) : g;
        return new KernelSchedule(graph, group(graph, fuse), fuse);
    }

    // ---- rewrites ----

    static Graph rewrite(Graph g) {
        Map<Integer, Rewrite> rewrites = new HashMap<>();
        Map<Integer, Integer> redirect = new HashMap<>();
        for (Node n : g.nodes()) {
            Rewrite r = n.op().rewrite(g, n);
            if (r != null) {
                rewrites.put(n.id(), r);
                redirect.putAll(r.replaces());
            }
        }
        if (rewrites.isEmpty()) {
            return g;
        }
        // Rebuild: rewritten nodes take their new form; redirected values read the replacement.
        Graph.Builder b = new Graph.Builder(g.name(), g.mode());
        int[] map = new int[g.size()];
        List<Integer> deferred = new ArrayList<>();
        for (Node n : g.nodes()) {
            if (redirect.containsKey(n.id())) {
                map[n.id()] = -1;
                deferred.add(n.id());
                continue;
            }
            Rewrite r = rewrites.get(n.id());
            List<Integer> inputs = new ArrayList<>();
            for (int in : r != null ? r.inputs() : n.inputs()) {
                inputs.add(resolve(map, redirect, in));
            }
            if (r != null) {
                map[n.id()] = b.addChecked(r.op(), r.attrs(), n.origin(), inputs.toArray(Integer[]::new));
            } else {
                map[n.id()] = b.addTyped(n.op(), n.attrs(), n.origin(), inputs, n.type());
            }
        }
        b.input(map[g.input()]).output(resolve(map, redirect, g.output()));
        if (g.target() >= 0) {
            b.target(map[g.target()]);
        }
        if (g.loss() >= 0) {
            b.loss(map[g.loss()]);
        }
        g.paramGrads().forEach((p, grad) -> b.paramGrad(map[p], resolve(map, redirect, grad)));
        return removeDead(b.build());
    }

    private static int resolve(int[] map, Map<Integer, Integer> redirect, int id) {
        while (redirect.containsKey(id)) {
            id = redirect.get(id);
        }
        return map[id];
    }

    /** Drops nodes whose values nothing needs (the roots: output, loss, target, gradients). */
    static Graph removeDead(Graph g) {
        boolean[] live = new boolean[g.size()];
        List<Integer> work = new ArrayList<>();
        work.add(g.output());
        work.add(g.input());
        if (g.loss() >= 0) {
            work.add(g.loss());
        }
        if (g.target() >= 0) {
            work.add(g.target());
        }
        work.addAll(g.paramGrads().values());
        g.params().forEach(p -> work.add(p.id()));
        while (!work.isEmpty()) {
            int id = work.remove(work.size() - 1);
            if (!live[id]) {
                live[id] = true;
                work.addAll(g.node(id).inputs());
            }
        }
        Graph.Builder b = new Graph.Builder(g.name(), g.mode());
        int[] map = new int[g.size()];
        for (Node n : g.nodes()) {
            if (!live[n.id()]) {
                map[n.id()] = -1;
                continue;
            }
            List<Integer> inputs = n.inputs().stream().map(i -> map[i]).toList();
            map[n.id()] = b.addTyped(n.op(), n.attrs(), n.origin(), inputs, n.type());
        }
        b.input(map[g.input()]).output(map[g.output()]);
        if (g.target() >= 0) {
            b.target(map[g.target()]);
        }
        if (g.loss() >= 0) {
            b.loss(map[g.loss()]);
        }
        g.paramGrads().forEach((p, grad) -> b.paramGrad(map[p], map[grad]));
        return b.build();
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
            while (fuse && chains) {
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
                    || phase(user) != phase(g.node(first))) {
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

    /** 0 forward, 1 loss, 2 backward: kernels never span two. */
    static int phase(Node n) {
        if (n.origin().backward()) {
            return 2;
        }
        return "loss".equals(n.origin().layer()) ? 1 : 0;
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
