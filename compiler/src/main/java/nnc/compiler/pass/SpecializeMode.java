package nnc.compiler.pass;

import java.util.ArrayList;
import java.util.List;
import nnc.compiler.diag.Diagnostics;
import nnc.compiler.ir.Graph;
import nnc.compiler.ir.Node;
import nnc.compiler.ir.Op;

/**
 * Pass: the network graph in the form a mode runs it. Each op says what it becomes in the
 * mode ({@link Op#inMode}): itself, another op (batch norm on running statistics for
 * inference), or nothing, in which case its users read its input instead (dropout for
 * inference). This pass names no op.
 */
public final class SpecializeMode implements Pass<Graph, Graph> {
    private final Graph.Mode mode;

    public SpecializeMode(Graph.Mode mode) {
        this.mode = mode;
    }

    @Override
    public Graph run(Graph net, Diagnostics d) {
        Graph.Builder b = new Graph.Builder(net.name(), mode);
        int[] map = new int[net.size()];
        for (Node n : net.nodes()) {
            Op op = n.op().inMode(mode);
            if (op == null) {
                map[n.id()] = map[n.input(0)];
                continue;
            }
            List<Integer> inputs = new ArrayList<>();
            for (int in : n.inputs()) {
                inputs.add(map[in]);
            }
            map[n.id()] = b.addTyped(op, n.attrs(), n.origin(), inputs, n.type());
        }
        return b.input(map[net.input()]).output(map[net.output()]).build();
    }
}
