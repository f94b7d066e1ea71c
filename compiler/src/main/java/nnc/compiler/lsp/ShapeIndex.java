package nnc.compiler.lsp;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import nnc.compiler.CompileResult;
import nnc.compiler.diag.Span;
import nnc.compiler.ir.Graph;
import nnc.compiler.ir.Network;
import nnc.compiler.ir.Network.LayerInfo;
import nnc.compiler.ir.Node;
import nnc.compiler.ir.TensorType;
import nnc.compiler.layers.LayerGraph;
import nnc.compiler.layers.LayerGraph.LayerNode;
import nnc.compiler.syntax.Ast;

/**
 * What the compiler inferred, by position in the text: for each layer call, block call, value
 * name and {@code +}, the value it stands for in each instance (a block used three times has
 * three), with its shape, parameters and FLOPs.
 *
 * <p>Layers are found by their span and block-instance path in the compiler's own tables
 * ({@link Network#layers()}, {@link LayerGraph#nodes()}). Block calls have no entry there, so
 * the walk below follows ResolveNames' order, which numbers block instances ({@code ConvBn_1},
 * {@code ConvBn_2}, ...) as it inlines them. Where a mistake makes that numbering uncertain
 * (a block call after a stage that failed to resolve), block instances are left out rather than
 * guessed.
 */
final class ShapeIndex {
    /** One instance of a position: the model, the block-instance path ("" at model level), the value. */
    record Instance(String model, String path, Network network, int value, LayerInfo layer, long params, long flops) {
        TensorType type() {
            return value < 0 ? null : network.graph().type(value);
        }

        String where() {
            return path.isEmpty() ? model : model + "/" + path;
        }
    }

    private final Map<Integer, List<Instance>> byStart = new HashMap<>();
    private final Map<String, CompileResult.ModelShapes> models = new LinkedHashMap<>();

    static ShapeIndex of(CompileResult.Analysis analysis) {
        ShapeIndex index = new ShapeIndex();
        if (analysis == null) {
            return index;
        }
        Map<String, Ast.Network> networks = new HashMap<>();
        for (Ast.Decl d : analysis.ast().decls()) {
            if (d instanceof Ast.Network n) {
                networks.putIfAbsent(n.name(), n);
            }
        }
        for (CompileResult.ModelShapes m : analysis.models()) {
            index.models.put(m.model().name(), m);
            new Walk(index, networks, m).model();
        }
        return index;
    }

    /** The instances of the layer, block call, name or {@code +} that starts at {@code offset}. */
    List<Instance> at(int start) {
        return byStart.getOrDefault(start, List.of());
    }

    int modelCount() {
        return models.size();
    }

    CompileResult.ModelShapes model(String name) {
        return models.get(name);
    }

    /** Total FLOPs per sample of a network's ops whose layer is {@code layer} or inside it. */
    static long flops(Network n, String qualifiedLayer, boolean prefix) {
        Graph g = n.graph();
        long sum = 0;
        for (Node node : g.nodes()) {
            String l = node.origin().layer();
            if (l.equals(qualifiedLayer) || prefix && (qualifiedLayer.isEmpty() || l.startsWith(qualifiedLayer + "/"))) {
                sum += node.op().flops(node, node.inputs().stream().map(g::type).toList());
            }
        }
        return sum;
    }

    private void add(int start, Instance i) {
        byStart.computeIfAbsent(start, k -> new ArrayList<>()).add(i);
    }

    /** A value during the walk: its node in the layer graph (-1: did not resolve) and in the network (-1: no shape). */
    private record V(int resolved, int value) {
        static final V NONE = new V(-1, -1);
    }

    /** The walk over one model, in ResolveNames' order. */
    private static final class Walk {
        private final ShapeIndex index;
        private final Map<String, Ast.Network> networks;
        private final CompileResult.ModelShapes m;
        private final Map<String, LayerInfo> infos = new HashMap<>();
        private final Map<String, LayerNode> nodes = new HashMap<>();
        private final Map<String, Integer> counters = new HashMap<>();
        private boolean uncertain;

        Walk(ShapeIndex index, Map<String, Ast.Network> networks, CompileResult.ModelShapes m) {
            this.index = index;
            this.networks = networks;
            this.m = m;
            for (LayerInfo l : m.network().layers()) {
                infos.put(key(l.path(), l.span()), l);
            }
            for (LayerNode n : m.layers().nodes()) {
                nodes.put(key(n.path(), n.span()), n);
            }
        }

        private static String key(String path, Span span) {
            return path + "@" + span.start() + ":" + span.end();
        }

        void model() {
            V out = body(m.model(), V.NONE, "");
            record(m.model().nameSpan(), "", out, null);
        }

        private void record(Span at, String path, V v, LayerInfo layer) {
            Network n = m.network();
            long params = layer == null ? 0 : layer.params().stream().mapToLong(p -> n.graph().node(p).type().size()).sum();
            long flops = layer == null ? 0 : flops(n, layer.qualifiedName(), false);
            index.add(at.start(), new Instance(m.model().name(), path, n, v.value(), layer, params, flops));
        }

        private V body(Ast.Network net, V piped, String path) {
            Map<String, V> scope = new HashMap<>();
            V last = V.NONE;
            for (Ast.Stmt s : net.body()) {
                switch (s) {
                    case Ast.InputStmt in -> {
                        last = net.isBlock() ? piped
                                : new V(m.layers().input(), m.network().graph().input());
                        scope.putIfAbsent(in.name(), last);
                        record(in.nameSpan(), path, last, null);
                    }
                    case Ast.AssignStmt as -> {
                        last = pipeline(as.value(), scope, path);
                        scope.putIfAbsent(as.name(), last);
                        record(as.nameSpan(), path, last, null);
                    }
                    case Ast.ExprStmt ex -> last = pipeline(ex.value(), scope, path);
                }
            }
            return last;
        }

        private V pipeline(Ast.Pipeline p, Map<String, V> scope, String path) {
            V v = operand(p.head(), scope, path);
            for (Ast.Stage stage : p.stages()) {
                v = stage(stage.call(), v, path);
            }
            return v;
        }

        private V operand(Ast.Operand op, Map<String, V> scope, String path) {
            return switch (op) {
                case Ast.ParenOperand paren -> pipeline(paren.inner(), scope, path);
                case Ast.AddOperand add -> {
                    operand(add.left(), scope, path);
                    operand(add.right(), scope, path);
                    yield layer(add.opSpan(), add.opSpan(), path);
                }
                case Ast.CallOperand c when c.call().hasParens() -> {
                    for (Ast.Arg a : c.call().args()) {
                        if (a.value() instanceof Ast.NameValue nv && scope.containsKey(nv.call().name())) {
                            record(nv.span(), path, scope.get(nv.call().name()), null);
                        }
                    }
                    yield layer(c.call().span(), c.call().nameSpan(), path);
                }
                case Ast.CallOperand c -> {
                    V v = scope.getOrDefault(c.call().name(), V.NONE);
                    record(c.call().nameSpan(), path, v, null);
                    yield v;
                }
            };
        }

        /** A layer application known to the compiler by its span, recorded at {@code at}. */
        private V layer(Span span, Span at, String path) {
            LayerNode n = nodes.get(key(path, span));
            LayerInfo l = infos.get(key(path, span));
            V v = new V(n == null ? -1 : n.id(), l == null ? -1 : l.output());
            record(at, path, v, l);
            return v;
        }

        private V stage(Ast.Call call, V in, String path) {
            if (in.resolved() < 0) {
                // ResolveNames skips the rest of a pipeline whose value failed; a block call here is not numbered.
                uncertain |= isBlock(call.name());
                return V.NONE;
            }
            if (!isBlock(call.name())) {
                return layer(call.span(), call.nameSpan(), path);
            }
            if (uncertain) {
                return V.NONE;
            }
            Ast.Network block = networks.get(call.name());
            int k = counters.merge(block.name(), 1, Integer::sum);
            String instance = (path.isEmpty() ? "" : path + "/") + block.name() + "_" + k;
            if (nodes.keySet().stream().noneMatch(key -> key.startsWith(instance + "/") || key.startsWith(instance + "@"))) {
                // Its arguments did not bind (not numbered) or nothing in it resolved: cannot tell which.
                counters.merge(block.name(), -1, Integer::sum);
                uncertain = true;
                return V.NONE;
            }
            V out = body(block, in, instance);
            Network n = m.network();
            long params = n.layers().stream().filter(l -> l.path().equals(instance) || l.path().startsWith(instance + "/"))
                    .flatMap(l -> l.params().stream()).mapToLong(p -> n.graph().node(p).type().size()).sum();
            index.add(call.nameSpan().start(), new Instance(m.model().name(), instance, n, out.value(), null, params,
                    flops(n, instance, true)));
            return out;
        }

        private boolean isBlock(String name) {
            Ast.Network n = networks.get(name);
            return n != null && n.isBlock();
        }
    }
}
