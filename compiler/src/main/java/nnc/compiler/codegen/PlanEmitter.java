package nnc.compiler.codegen;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.ParameterSpec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.lang.model.element.Modifier;
import nnc.compiler.diag.SourceFile;
import nnc.compiler.ir.EmitContext;
import nnc.compiler.ir.Graph;
import nnc.compiler.ir.MemoryPlan;
import nnc.compiler.ir.MemoryPlan.Region;
import nnc.compiler.ir.MemoryPlan.Buffer;
import nnc.compiler.ir.Node;
import nnc.compiler.ir.ParamAttrs;
import nnc.compiler.ir.KernelSchedule.Kernel;
import nnc.compiler.ir.KernelSchedule.Step;
import nnc.runtime.kernels.Epilogue;

/**
 * Emits one plan (training or inference) as the body of an inner class: an offset field per
 * arena buffer, an epilogue field per fused kernel, and one statement per kernel with a
 * comment naming the .nn line it comes from. This is the {@link EmitContext} the ops'
 * {@code emit} methods see.
 */
final class PlanEmitter implements EmitContext {
    private static final Set<String> RESERVED = Set.of("arena", "params", "grads", "batch", "capacity", "exec",
            "stats", "lr", "steps", "model", "stepKey", "state1", "state2", "n", "K", "seed");

    private final SourceFile source;
    private final MemoryPlan plan;
    private final Graph graph;
    private final Map<String, String> paramConstants;
    private final String sizeVar;
    private final Names names = new Names(RESERVED);
    private final Map<Integer, String> offsetFields = new LinkedHashMap<>();
    private final Map<Integer, String> epilogueFields = new LinkedHashMap<>();
    private final Map<Integer, Kernel> kernelOf = new HashMap<>();
    private final String perSampleConstant;
    private final String fixedConstant;
    private final Constants constants;
    private Kernel current;
    /** Kernel descriptions, in order, when profiling is emitted; null otherwise. */
    private final java.util.List<String> profiled;
    /** The constructor's statements, built first: whether they fit one method decides if fields can be final. */
    private final List<MethodSplitter.Unit> setUp;
    private final boolean splitSetUp;
    /** Helper methods long bodies were split into ({@link MethodSplitter}). */
    private final List<MethodSpec> helpers = new ArrayList<>();

    /**
     * @param sizeVar the field holding the rows the arena was sized for ({@code batch} or
     *                {@code capacity})
     */
    PlanEmitter(SourceFile source, MemoryPlan plan, Map<String, String> paramConstants, String sizeVar,
                String perSampleConstant, String fixedConstant, Constants constants, boolean profile) {
        this.source = source;
        this.constants = constants;
        this.profiled = profile ? new java.util.ArrayList<>() : null;
        this.plan = plan;
        this.graph = plan.schedule().graph();
        this.paramConstants = paramConstants;
        this.sizeVar = sizeVar;
        this.perSampleConstant = perSampleConstant;
        this.fixedConstant = fixedConstant;
        for (Kernel k : plan.schedule().kernels()) {
            for (int m : k.members()) {
                kernelOf.put(m, k);
            }
        }
        for (Map.Entry<Integer, Buffer> e : plan.buffers().entrySet()) {
            Region r = e.getValue().region();
            if ((r == Region.ARENA || r == Region.ARENA_FIXED) && !graph.node(e.getKey()).op().isView()) {
                offsetFields.put(e.getKey(), fieldName(e.getKey()));
            }
        }
        for (Kernel k : plan.schedule().kernels()) {
            if (!k.steps().isEmpty() || !k.stored().isEmpty()) {
                epilogueFields.put(k.first(), names.fresh(valueName(k.output()) + "Epi"));
            }
        }
        this.setUp = setUpUnits();
        this.splitSetUp = MethodSplitter.tooLong(setUp);
    }

    /** The layer's name, or when taken the layer and op ({@code linear1Matmul}), or numbered. */
    private String fieldName(int v) {
        String base = valueName(v);
        if (names.isUsed(base)) {
            String op = Names.camel(graph.node(v).op().name());
            base = base + Character.toUpperCase(op.charAt(0)) + op.substring(1);
        }
        return names.fresh(base);
    }

    /** The op's name for the value ({@link nnc.compiler.ir.Op#valueName}); gradients get a {@code d}. */
    private String valueName(int v) {
        Node n = graph.node(v);
        String base = Names.camel(n.op().valueName(n));
        if (n.origin().isBackward()) {
            base = "d" + Character.toUpperCase(base.charAt(0)) + base.substring(1);
        }
        return base;
    }

    // ---- the class members ----

    /** The offset and epilogue fields; final unless the constructor is split over helpers that set them. */
    List<FieldSpec> fields() {
        Modifier[] modifiers = splitSetUp ? new Modifier[] {Modifier.PRIVATE} : new Modifier[] {Modifier.PRIVATE, Modifier.FINAL};
        List<FieldSpec> out = new ArrayList<>();
        for (Map.Entry<Integer, String> e : offsetFields.entrySet()) {
            Node n = graph.node(e.getKey());
            out.add(FieldSpec.builder(int.class, e.getValue(), modifiers)
                    .addJavadoc("$L $L\n", n.type(), describe(n)).build());
        }
        for (String f : epilogueFields.values()) {
            out.add(FieldSpec.builder(Epilogue.class, f, modifiers).build());
        }
        return out;
    }

    /** The private methods long bodies were split into; add them to the class after its methods. */
    List<MethodSpec> helpers() {
        return helpers;
    }

    private String describe(Node n) {
        String what = n.op().name();
        return (n.origin().isBackward() ? "gradient from " : "") + what + " of " + n.origin().layer();
    }

    /** Statements for the constructor: offsets, then epilogues (which read the offsets). */
    CodeBlock constructorBody() {
        CodeBlock.Builder b = CodeBlock.builder();
        helpers.addAll(MethodSplitter.fill(b, "setUp", List.of(), false, CodeBlock.of(""), setUp));
        return b.build();
    }

    private List<MethodSplitter.Unit> setUpUnits() {
        List<MethodSplitter.Unit> units = new ArrayList<>();
        for (Map.Entry<Integer, String> e : offsetFields.entrySet()) {
            Buffer s = plan.buffer(e.getKey());
            if (s.region() == Region.ARENA) {
                units.add(new MethodSplitter.Unit(CodeBlock.builder()
                        .addStatement("$N = $L * $N", e.getValue(), s.offset(), sizeVar).build(), 12));
            } else {
                units.add(new MethodSplitter.Unit(CodeBlock.builder()
                        .addStatement("$N = $N * $N + $L", e.getValue(), perSampleConstant, sizeVar, s.offset()).build(), 16));
            }
        }
        for (Kernel k : plan.schedule().kernels()) {
            String field = epilogueFields.get(k.first());
            if (field == null) {
                continue;
            }
            current = k;
            CodeBlock.Builder chain = CodeBlock.builder().add("$N = K.epilogue($L)", field, offsetOwn(k.output()));
            chain.indent();
            if (k.anchor() >= 0 && k.stored().contains(k.anchor())) {
                chain.add("\n.store($L)", refOwn(k.anchor()));
            }
            for (Step s : k.steps()) {
                Node n = graph.node(s.node());
                CodeBlock step = n.op().epilogueStep(this, n, s.chainInput());
                if (step == null) {
                    throw new IllegalStateException("internal error: " + n.op().name() + " cannot be an epilogue step");
                }
                chain.add("\n$L", step);
                if (k.stored().contains(s.node())) {
                    chain.add("\n.store($L)", refOwn(s.node()));
                }
            }
            chain.add("\n.build()");
            chain.unindent();
            units.add(new MethodSplitter.Unit(CodeBlock.builder().addStatement("$L", chain.build()).build(),
                    40 + 30 * (k.steps().size() + k.stored().size())));
            current = null;
        }
        return units;
    }

    /**
     * The kernels whose first node satisfies {@code phase}, as statements of a method taking
     * {@code n} (spread over helpers {@code name0, name1, ...} when there are very many).
     */
    MethodSpec method(String name, Modifier access, java.util.function.IntPredicate phase) {
        List<MethodSplitter.Unit> units = new ArrayList<>();
        for (Kernel k : plan.schedule().emitted()) {
            if (!phase.test(k.first())) {
                continue;
            }
            current = k;
            CodeBlock.Builder m = CodeBlock.builder().add(KernelText.comment(graph, source, k));
            if (k.anchor() >= 0) {
                Node a = graph.node(k.anchor());
                m.addStatement("$L", a.op().emit(this, a));
            } else {
                Node out = graph.node(k.output());
                CodeBlock count = out.type().batched() ? CodeBlock.of("n * $L", out.type().size())
                        : CodeBlock.of("$L", out.type().size());
                m.addStatement("K.pointwise(exec, $L, $L, $L, $L)", ref(k.source()), refOwn(k.output()), count,
                        epilogue(graph.node(k.first())));
            }
            if (profiled != null) {
                m.addStatement("t = lap($L, t)", profiled.size());
                profiled.add(KernelText.describe(graph, source, k));
            }
            units.add(new MethodSplitter.Unit(m.build(), 160));
            current = null;
        }
        CodeBlock prologue = profiled != null ? CodeBlock.builder().addStatement("long t = System.nanoTime()").build()
                : CodeBlock.of("");
        CodeBlock.Builder body = CodeBlock.builder();
        helpers.addAll(MethodSplitter.fill(body, name, List.of(ParameterSpec.builder(int.class, "n").build()), false,
                prologue, units));
        return MethodSpec.methodBuilder(name).addAnnotation(Override.class).addModifiers(access)
                .addParameter(int.class, "n").addCode(body.build()).build();
    }

    /** The kernel names a profiled build reports, or null. */
    java.util.List<String> profiledKernels() {
        return profiled;
    }

    // ---- EmitContext ----

    /** Where value {@code v} is read or written by the kernel being emitted. */
    @Override
    public CodeBlock ref(int v) {
        if (current != null && current.members().contains(v)) {
            return refOwn(current.output());
        }
        return refOwn(v);
    }

    private CodeBlock refOwn(int v) {
        return CodeBlock.of("$L, $L", arrayOf(v), offsetOwn(v));
    }

    @Override
    public CodeBlock array(int v) {
        return arrayOf(current != null && current.members().contains(v) ? current.output() : v);
    }

    @Override
    public CodeBlock offset(int v) {
        return offsetOwn(current != null && current.members().contains(v) ? current.output() : v);
    }

    private CodeBlock arrayOf(int v) {
        return switch (plan.buffer(v).region()) {
            case ARENA, ARENA_FIXED -> CodeBlock.of("arena");
            case PARAMS -> CodeBlock.of("params");
            case GRADS -> CodeBlock.of("grads");
            case NONE -> CodeBlock.of("null");
        };
    }

    private CodeBlock offsetOwn(int v) {
        Buffer s = plan.buffer(v);
        return switch (s.region()) {
            case ARENA, ARENA_FIXED -> CodeBlock.of("$N", offsetFields.get(viewBase(v)));
            case PARAMS, GRADS -> CodeBlock.of("$N", paramConstants.get(paramName(v)));
            case NONE -> CodeBlock.of("0");
        };
    }

    private int viewBase(int v) {
        while (graph.node(v).op().isView()) {
            v = graph.node(v).input(0);
        }
        return v;
    }

    private String paramName(int v) {
        Node n = graph.node(v);
        if (n.attrs() instanceof ParamAttrs p) {
            return p.name();
        }
        for (Map.Entry<Integer, Integer> e : graph.paramGrads().entrySet()) {
            if (e.getValue() == v) {
                return ((ParamAttrs) graph.node(e.getKey()).attrs()).name();
            }
        }
        throw new IllegalStateException("internal error: %" + v + " is not a parameter or gradient");
    }

    @Override
    public CodeBlock rows() {
        return CodeBlock.of("n");
    }

    @Override
    public CodeBlock exec() {
        return CodeBlock.of("exec");
    }

    @Override
    public CodeBlock kernels() {
        return CodeBlock.of("K");
    }

    @Override
    public CodeBlock epilogue(Node anchor) {
        String f = epilogueFields.get(anchor.id());
        return f == null ? CodeBlock.of("$T.NONE", Epilogue.class) : CodeBlock.of("$N", f);
    }

    @Override
    public CodeBlock stats() {
        return CodeBlock.of("stats");
    }

    @Override
    public CodeBlock stepKey() {
        return CodeBlock.of("stepKey");
    }

    @Override
    public CodeBlock constant(Class<?> type, CodeBlock initializer, String hint) {
        return constants.get(type, initializer, hint);
    }

    @Override
    public Graph graph() {
        return graph;
    }

    /** The offset field of a value (input, target, output). */
    String offsetField(int v) {
        return offsetFields.get(viewBase(v));
    }

    static ClassName epilogueClass() {
        return ClassName.get(Epilogue.class);
    }
}
