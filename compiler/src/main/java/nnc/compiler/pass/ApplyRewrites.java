package nnc.compiler.pass;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import nnc.compiler.diag.Diagnostics;
import nnc.compiler.ir.Graph;
import nnc.compiler.ir.Node;
import nnc.compiler.ir.Rewrite;

/**
 * Pass: applies the local algebraic rewrites the ops propose ({@link nnc.compiler.ir.Op#rewrite}),
 * then removes the nodes left without users. A softmax feeding a cross-entropy becomes one
 * loss whose gradient is {@code p - onehot}, and the backward node through the softmax goes.
 * It reads only the ops' hooks, never an op's name. {@code --no-fuse} skips it.
 */
public final class ApplyRewrites implements Pass<Graph, Graph> {
    @Override
    public Graph run(Graph g, Diagnostics d) {
        return rewrite(g);
    }

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
        return b.rootsOf(g, map).build();
    }
}
