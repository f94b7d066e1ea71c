package nnc.compiler.pass;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import nnc.compiler.Limits;
import nnc.compiler.diag.Diagnostics;
import nnc.compiler.diag.Span;
import nnc.compiler.diag.Suggest;
import nnc.compiler.ir.TensorType;
import nnc.compiler.layers.ArgSpec;
import nnc.compiler.layers.ArgType;
import nnc.compiler.layers.Args;
import nnc.compiler.layers.Binder;
import nnc.compiler.layers.Env;
import nnc.compiler.layers.Evaluate;
import nnc.compiler.layers.Layer;
import nnc.compiler.layers.LayerGraph;
import nnc.compiler.layers.LayerGraph.Assertion;
import nnc.compiler.layers.LayerGraph.LayerNode;
import nnc.compiler.layers.Layers;
import nnc.compiler.layers.Val;
import nnc.compiler.syntax.Ast;

/**
 * Pass: AST of one model to a {@link LayerGraph}.
 *
 * <p>Walks the model's statements in order with a scope of named values. Each pipeline stage
 * becomes a layer node whose arguments are bound and checked ({@link Binder}); a stage that
 * names a block inlines the block's body with its parameters bound, its {@code input} bound
 * to the piped value and its last statement as the result. Errors: unknown values and layers
 * (with did-you-mean), values defined twice, a model without exactly one input, blocks that
 * use themselves, models used as layers, and the limits of {@link InlineBudget}. A failed
 * stage yields no value, and whatever uses it is skipped silently, so one mistake is reported
 * once and the rest of the file is still checked.
 */
public final class ResolveNames implements Pass<Ast.Network, LayerGraph> {
    private static final int POISON = -1;

    private final Declarations decls;
    private final Map<String, Val> overrides;
    private final Diagnostics d;
    private final List<LayerNode> nodes = new ArrayList<>();
    private final List<Assertion> assertions = new ArrayList<>();
    private final Map<String, Integer> counters = new HashMap<>();
    private final Deque<String> blockStack = new ArrayDeque<>();
    private int input = POISON;
    private final InlineBudget budget = new InlineBudget();

    /**
     * @param overrides model parameter values that replace the file's ({@code --set}, sweeps);
     *                  the arguments of the model's {@code train} declaration come next, then
     *                  the parameters' defaults
     */
    public ResolveNames(Declarations decls, Map<String, Val> overrides) {
        this(decls, overrides, null);
    }

    private ResolveNames(Declarations decls, Map<String, Val> overrides, Diagnostics d) {
        this.decls = decls;
        this.overrides = overrides;
        this.d = d;
    }

    /** Resolves {@code model}; null when it has errors. */
    @Override
    public LayerGraph run(Ast.Network model, Diagnostics d) {
        int before = d.errorCount();
        LayerGraph g = resolve(model, d);
        return d.errorCount() > before || g.output() == POISON ? null : g;
    }

    /**
     * As {@link #run}, but returns what resolved even when there were errors: the layers of
     * every statement that did not fail, and output -1 when the model's output failed. Editors
     * show the shapes of the layers before a mistake.
     */
    public LayerGraph resolve(Ast.Network model, Diagnostics d) {
        int before = d.errorCount();
        Map<String, Val> values = new LinkedHashMap<>(ModelArguments.of(decls.trainOf(model.name()), model, d));
        values.putAll(overrides);
        ResolveNames r = new ResolveNames(decls, values, d);
        Env env = r.modelEnv(model, values);
        int output = env == null ? POISON : r.body(model, env, POISON, "");
        if (env != null && r.input == POISON && d.errorCount() == before) {
            d.error(model.nameSpan(), "model '" + model.name() + "' has no input",
                    "declare one: input x: [784]");
        }
        return new LayerGraph(model.name(), model.nameSpan(), r.nodes, r.input, output, r.assertions);
    }

    private Env modelEnv(Ast.Network model, Map<String, Val> overrides) {
        Map<String, Val> values = new LinkedHashMap<>();
        boolean ok = true;
        for (Ast.Param p : model.params()) {
            Val v = overrides.get(p.name());
            if (v == null && p.defaultValue() != null) {
                v = Evaluate.eval(p.defaultValue(), Env.EMPTY, d);
                if (v == null) {
                    ok = false;
                    continue;
                }
            }
            if (v == null) {
                d.error(p.span(), "model parameter '" + p.name() + "' has no value",
                        "give it a default (" + p.name() + " = ...) or a value in the train declaration");
                ok = false;
                continue;
            }
            values.put(p.name(), v);
        }
        return ok ? new Env(values) : null;
    }

    // ---- statements ----

    /** Resolves a network body; returns the value of its last statement. */
    private int body(Ast.Network net, Env env, int piped, String path) {
        Map<String, Integer> scope = new LinkedHashMap<>();
        Map<String, Span> definedAt = new HashMap<>();
        int last = POISON;
        boolean sawInput = false;
        List<Ast.Stmt> body = net.body();
        if (body.isEmpty()) {
            d.error(net.nameSpan(), net.keyword() + " '" + net.name() + "' is empty", "add statements: x -> linear(10)");
            return POISON;
        }
        for (int i = 0; i < body.size(); i++) {
            Ast.Stmt s = body.get(i);
            switch (s) {
                case Ast.InputStmt in -> {
                    if (sawInput) {
                        d.error(in.span(), net.keyword() + " '" + net.name() + "' already has an input",
                                "a network has exactly one input");
                        continue;
                    }
                    sawInput = true;
                    int value = net.isBlock() ? blockInput(in, piped, env, path) : modelInput(in, env);
                    define(scope, definedAt, in.name(), in.nameSpan(), value);
                    last = value;
                }
                case Ast.AssignStmt as -> {
                    int value = pipeline(as.value(), scope, env, path);
                    define(scope, definedAt, as.name(), as.nameSpan(), value);
                    last = value;
                }
                case Ast.ExprStmt ex -> {
                    last = pipeline(ex.value(), scope, env, path);
                    if (i < body.size() - 1) {
                        d.warning(ex.span(), "this value is not used; only the last statement is the output",
                                "name it (y = ...) to use it later");
                    }
                }
            }
        }
        if (!sawInput && d.errorCount() == 0) {
            d.error(net.nameSpan(), net.keyword() + " '" + net.name() + "' has no input",
                    net.isBlock() ? "declare it: input x" : "declare one: input x: [784]");
            return POISON;
        }
        return last;
    }

    private void define(Map<String, Integer> scope, Map<String, Span> definedAt, String name, Span at, int value) {
        if (scope.containsKey(name)) {
            d.error(at, "'" + name + "' is already defined at line " + d.source().line(definedAt.get(name).start()),
                    "use another name");
            return;
        }
        scope.put(name, value);
        definedAt.put(name, at);
    }

    private int modelInput(Ast.InputStmt in, Env env) {
        if (in.shape() == null) {
            d.error(in.span(), "the model input needs a shape", "write: input " + in.name() + ": [784]");
            return POISON;
        }
        int[] dims = dims(in.shape(), env);
        if (dims == null) {
            return POISON;
        }
        TensorType type = InlineBudget.input(dims, in.shape().span(), d);
        input = type == null ? POISON : add(null, null, List.of(), "input", "", in.span(), type);
        return input;
    }

    private int blockInput(Ast.InputStmt in, int piped, Env env, String path) {
        if (in.shape() != null && piped != POISON) {
            int[] dims = dims(in.shape(), env);
            if (dims != null) {
                assertions.add(new Assertion(piped, dims, in.shape().span()));
            }
        }
        return piped;
    }

    private int[] dims(Ast.ShapeExpr shape, Env env) {
        if (shape.dims().isEmpty()) {
            d.error(shape.span(), "a shape needs at least one dimension");
            return null;
        }
        int[] dims = new int[shape.dims().size()];
        for (int i = 0; i < dims.length; i++) {
            Val v = Evaluate.eval(shape.dims().get(i), env, d);
            if (v == null) {
                return null;
            }
            Object n = Binder.tryConvert(ArgType.POSITIVE_INT, List.of(), v);
            if (n == null) {
                d.error(v.span(), v instanceof Val.Num big && big.value() > Integer.MAX_VALUE
                        ? "the dimension " + big.describe() + " is too large: a tensor holds at most "
                                + Limits.count(Limits.MAX_ELEMENTS) + " values (the largest Java array)"
                        : "a dimension must be a whole number >= 1, got " + v.describe());
                return null;
            }
            dims[i] = (Integer) n;
        }
        return dims;
    }

    // ---- pipelines ----

    private int pipeline(Ast.Pipeline p, Map<String, Integer> scope, Env env, String path) {
        int value = operand(p.head(), scope, env, path);
        for (Ast.Stage stage : p.stages()) {
            if (value == POISON) {
                // The rest of the chain cannot be built, but a misspelt layer further on is
                // still named, so that one check finds every typo of a chain.
                if (Layers.byName(stage.call().name()) == null && decls.networks().get(stage.call().name()) == null) {
                    unknownLayer(stage.call());
                }
                continue;
            }
            value = stage(stage.call(), value, env, path);
            if (value != POISON && stage.assertion() != null) {
                int[] dims = dims(stage.assertion(), env);
                if (dims != null) {
                    assertions.add(new Assertion(value, dims, stage.assertion().span()));
                }
            }
        }
        return value;
    }

    private int operand(Ast.Operand op, Map<String, Integer> scope, Env env, String path) {
        return switch (op) {
            case Ast.ParenOperand paren -> pipeline(paren.inner(), scope, env, path);
            case Ast.AddOperand add -> {
                int l = operand(add.left(), scope, env, path);
                int r = operand(add.right(), scope, env, path);
                if (l == POISON || r == POISON) {
                    yield POISON;
                }
                yield add(Layers.ADD, new Args("add", Map.of(), Map.of(), add.span()), List.of(l, r),
                        instanceName("add"), path, add.opSpan(), null);
            }
            case Ast.CallOperand c -> head(c.call(), scope, env, path);
        };
    }

    private int head(Ast.Call call, Map<String, Integer> scope, Env env, String path) {
        String name = call.name();
        if (!call.hasParens()) {
            Integer value = scope.get(name);
            if (value != null) {
                return value;
            }
            if (Layers.byName(name) != null || isBlock(name)) {
                d.error(call.span(), "'" + name + "' is a layer, not a value",
                        "a pipeline starts with a value: x -> " + name);
                return POISON;
            }
            String hint = scope.isEmpty() ? "declare the input first: input " + name + ": [784]"
                    : Suggest.didYouMean(name, scope.keySet());
            d.error(call.span(), "unknown value '" + name + "'", hint);
            return POISON;
        }
        Layer layer = Layers.byName(name);
        if (layer != null && layer.inputs() != 1) {
            // concat(a, b, ...): the arguments are values.
            List<Integer> inputs = new ArrayList<>();
            for (Ast.Arg a : call.args()) {
                if (a.name() != null || !(a.value() instanceof Ast.NameValue nv) || nv.call().hasParens()) {
                    d.error(a.span(), name + " takes the names of values", "write " + name + "(a, b)");
                    return POISON;
                }
                Integer v = scope.get(nv.call().name());
                if (v == null) {
                    d.error(a.span(), "unknown value '" + nv.call().name() + "'",
                            Suggest.didYouMean(nv.call().name(), scope.keySet()));
                    return POISON;
                }
                if (v == POISON) {
                    return POISON;
                }
                inputs.add(v);
            }
            if (inputs.size() < 2) {
                d.error(call.span(), name + " needs at least two values", "write " + name + "(a, b)");
                return POISON;
            }
            return add(layer, new Args(name, Map.of(), Map.of(), call.span()), inputs, instanceName(name), path,
                    call.span(), null);
        }
        if (layer != null || isBlock(name)) {
            d.error(call.span(), "'" + name + "' needs an input", "pipe a value into it: x -> " + call.name() + "(...)");
        } else {
            d.error(call.nameSpan(), "unknown value '" + name + "'", Suggest.didYouMean(name, scope.keySet()));
        }
        return POISON;
    }

    private boolean isBlock(String name) {
        Ast.Network n = decls.networks().get(name);
        return n != null && n.isBlock();
    }

    private int stage(Ast.Call call, int value, Env env, String path) {
        if (budget.exceeded()) {
            return POISON;
        }
        String name = call.name();
        Layer layer = Layers.byName(name);
        if (layer != null) {
            if (layer.inputs() != 1) {
                d.error(call.span(), "'" + name + "' combines values and cannot follow '->'",
                        "write " + name + "(a, b) at the start of a pipeline");
                return POISON;
            }
            Args args = Binder.bind(name, call, layer.signature(), env, d);
            if (args == null) {
                return POISON;
            }
            return add(layer, args, List.of(value), instanceName(name), path, call.span(), null);
        }
        Ast.Network net = decls.networks().get(name);
        if (net != null && net.isBlock()) {
            return inline(net, call, value, env, path);
        }
        if (net != null) {
            d.error(call.nameSpan(), "'" + name + "' is a model; only blocks can be used inside a network",
                    "declare it with 'block " + name + "' instead");
            return POISON;
        }
        unknownLayer(call);
        return POISON;
    }

    private void unknownLayer(Ast.Call call) {
        String name = call.name();
        List<String> candidates = new ArrayList<>(Layers.names());
        decls.networks().values().stream().filter(Ast.Network::isBlock).forEach(b -> candidates.add(b.name()));
        d.error(call.nameSpan(), "unknown layer '" + name + "'", Suggest.didYouMean(name, candidates));
    }

    private int inline(Ast.Network block, Ast.Call call, int value, Env env, String path) {
        if (blockStack.contains(block.name())) {
            List<String> cycle = new ArrayList<>(blockStack.reversed());
            cycle = cycle.subList(cycle.indexOf(block.name()), cycle.size());
            d.error(call.nameSpan(), "block '" + block.name() + "' uses itself: " + String.join(" -> ", cycle)
                    + " -> " + block.name(), "blocks cannot be recursive");
            return POISON;
        }
        if (!budget.enter(blockStack, block.name(), call.nameSpan(), d)) {
            return POISON;
        }
        List<ArgSpec> specs = new ArrayList<>();
        for (Ast.Param p : block.params()) {
            Val def = p.defaultValue() == null ? null : Evaluate.eval(p.defaultValue(), Env.EMPTY, d);
            specs.add(ArgSpec.positional(p.name(), ArgType.ANY, def));
        }
        Args args = Binder.bind(block.name(), call, specs, env, d);
        if (args == null) {
            return POISON;
        }
        Map<String, Val> bound = new LinkedHashMap<>();
        for (ArgSpec s : specs) {
            bound.put(s.name(), (Val) args.get(s.name()));
        }
        String instance = instanceName(block.name());
        blockStack.push(block.name());
        try {
            return body(block, new Env(bound), value, path.isEmpty() ? instance : path + "/" + instance);
        } finally {
            blockStack.pop();
        }
    }

    private String instanceName(String kind) {
        int k = counters.merge(kind, 1, Integer::sum);
        return kind + "_" + k;
    }

    private int add(Layer layer, Args args, List<Integer> inputs, String name, String path, Span span,
                    TensorType inputType) {
        if (!budget.add(nodes.size(), span, d)) {
            return POISON;
        }
        int id = nodes.size();
        nodes.add(new LayerNode(id, layer, args, inputs, name, path, span, inputType));
        return id;
    }
}
