package nnc.compiler.codegen;

import com.palantir.javapoet.ArrayTypeName;
import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.JavaFile;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.TypeSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntPredicate;
import javax.lang.model.element.Modifier;
import nnc.compiler.Compilation;
import nnc.compiler.ir.Graph;
import nnc.compiler.ir.InitSpec;
import nnc.compiler.ir.JavaLiterals;
import nnc.compiler.ir.MemoryPlan;
import nnc.compiler.ir.Origin;
import nnc.compiler.ir.ParamAttrs;
import nnc.compiler.ir.ParamLayout;
import nnc.compiler.pass.TrainSpec.OptimizerSpec;
import nnc.runtime.exec.Exec;
import nnc.runtime.kernels.Kernels;
import nnc.runtime.model.CompiledModel;
import nnc.runtime.model.Inference;
import nnc.runtime.model.Init;
import nnc.runtime.model.ModelSpec;
import nnc.runtime.model.Objective;
import nnc.runtime.model.Serving;
import nnc.runtime.model.TensorSpec;
import nnc.runtime.model.Training;

/**
 * Emits the Java class of a compiled model: one class extending {@link CompiledModel}, with a
 * constant per parameter tensor, {@code initialize}, and two inner classes — {@code Train}
 * (forward, loss, backward, update) and {@code Infer} (forward, loss) — emitted from their
 * memory plans by {@link PlanEmitter}.
 */
public final class JavaEmitter {
    private JavaEmitter() {
    }

    public static JavaFile emit(Compilation c, String packageName) {
        return emit(c, packageName, false);
    }

    /**
     * @param profile time every kernel of the training side ({@code nnc train --profile}); the
     *                golden files pin the code without it
     */
    public static JavaFile emit(Compilation c, String packageName, boolean profile) {
        String name = c.modelName();
        ParamLayout layout = c.params();
        Map<String, String> constants = new LinkedHashMap<>();
        Names names = new Names(java.util.Set.of("SPEC", "K", "TRAIN_PER_SAMPLE", "TRAIN_FIXED", "INFER_PER_SAMPLE",
                "INFER_FIXED", "STATE_ARRAYS"));
        for (ParamAttrs p : layout.tensors()) {
            constants.put(p.name(), names.fresh(Names.constant(p.name())));
        }
        ClassName self = ClassName.get(packageName, name);
        Serving serving = ServingSpec.of(c);
        TypeSpec.Builder type = TypeSpec.classBuilder(name)
                .addModifiers(Modifier.PUBLIC, Modifier.FINAL)
                .superclass(CompiledModel.class)
                .addJavadoc(ModelApi.classDoc(c, serving));
        type.addField(FieldSpec.builder(Kernels.class, "K", Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
                .initializer("$T.active()", Kernels.class).build());
        for (ParamAttrs p : layout.tensors()) {
            type.addField(FieldSpec.builder(int.class, constants.get(p.name()), Modifier.PUBLIC, Modifier.STATIC,
                            Modifier.FINAL)
                    .initializer("$L", layout.offset(p.name()))
                    .addJavadoc("$L $L$L\n", p.name(), p.type().shapeText(), p.trainable() ? "" : " (not trained)")
                    .build());
        }
        type.addField(FieldSpec.builder(ModelSpec.class, "SPEC", Modifier.PUBLIC, Modifier.STATIC, Modifier.FINAL)
                .initializer(spec(c, constants, serving, type)).build());
        type.addMethod(MethodSpec.constructorBuilder().addModifiers(Modifier.PUBLIC)
                .addJavadoc("A model with zeroed parameters: {@link #load} one with weights, or call {@link #initialize}.\n")
                .addStatement("super(SPEC)").build());
        ModelApi.addLoaders(type, self);
        type.addMethod(initialize(c, constants, type));

        Constants shared = new Constants(names);
        PlanEmitter infer = new PlanEmitter(c.source(), c.inferPlan(), constants, "capacity", "INFER_PER_SAMPLE", "INFER_FIXED",
                shared, false);
        addSizes(type, "INFER", c.inferPlan());
        type.addMethod(MethodSpec.methodBuilder("newInference").addAnnotation(Override.class)
                .addModifiers(Modifier.PUBLIC).returns(Inference.class)
                .addParameter(Exec.class, "exec").addParameter(int.class, "capacity")
                .addStatement("return new Infer(exec, capacity)").build());
        type.addType(inferClass(c, infer));

        if (c.trainPlan() != null) {
            PlanEmitter train = new PlanEmitter(c.source(), c.trainPlan(), constants, "batch", "TRAIN_PER_SAMPLE", "TRAIN_FIXED",
                    shared, profile);
            addSizes(type, "TRAIN", c.trainPlan());
            type.addField(FieldSpec.builder(int.class, "STATE_ARRAYS", Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
                    .initializer("$L", c.train().optimizer().stateArrays()).build());
            type.addMethod(MethodSpec.methodBuilder("newTraining").addAnnotation(Override.class)
                    .addModifiers(Modifier.PUBLIC).returns(Training.class)
                    .addParameter(Exec.class, "exec").addParameter(int.class, "batch")
                    .addParameter(long.class, "seed").addParameter(float.class, "learningRate")
                    .addStatement("return new Train(exec, batch, seed, learningRate)").build());
            type.addType(trainClass(c, train));
        } else {
            type.addMethod(MethodSpec.methodBuilder("newTraining").addAnnotation(Override.class)
                    .addModifiers(Modifier.PUBLIC).returns(Training.class)
                    .addParameter(Exec.class, "exec").addParameter(int.class, "batch")
                    .addParameter(long.class, "seed").addParameter(float.class, "learningRate")
                    .addStatement("throw new $T($S)", IllegalStateException.class,
                            name + " has no train declaration; it can only run inference")
                    .build());
        }
        shared.fields().forEach(type::addField);
        return JavaFile.builder(packageName, type.build())
                .addFileComment("Generated by nnc from $L. Do not edit: change the .nn file and regenerate.",
                        Names.fileName(c.source().path()))
                .skipJavaLangImports(true)
                .indent("    ")
                .build();
    }

    private static void addSizes(TypeSpec.Builder type, String prefix, MemoryPlan plan) {
        type.addField(FieldSpec.builder(int.class, prefix + "_PER_SAMPLE", Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
                .initializer("$L", plan.floatsPerSample()).build());
        type.addField(FieldSpec.builder(int.class, prefix + "_FIXED", Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
                .initializer("$L", plan.fixedFloats()).build());
    }

    private static CodeBlock spec(Compilation c, Map<String, String> constants, Serving serving, TypeSpec.Builder type) {
        Graph g = c.network().graph();
        CodeBlock.Builder tensors = CodeBlock.builder();
        List<ParamAttrs> ps = c.params().tensors();
        List<MethodSplitter.Unit> each = new ArrayList<>();
        for (int i = 0; i < ps.size(); i++) {
            ParamAttrs p = ps.get(i);
            CodeBlock one = CodeBlock.of("new $T($S, new int[] {$L}, $N, $L, $S)", TensorSpec.class, p.name(),
                    dims(p.type().dims()), constants.get(p.name()), p.trainable(), "");
            tensors.add("\n$L$L", one, i < ps.size() - 1 ? "," : "");
            each.add(new MethodSplitter.Unit(CodeBlock.builder().addStatement("t.add($L)", one).build(), 40));
        }
        CodeBlock list = CodeBlock.builder().add("$T.of(", List.class).indent().indent().add(tensors.build())
                .unindent().unindent().add(")").build();
        if (MethodSplitter.tooLong(each)) {
            list = CodeBlock.of("tensors()");
            type.addMethods(splitTensors(each));
        }
        return CodeBlock.builder()
                .add("new $T($S, $S, new int[] {$L}, new int[] {$L}, $T.$L, $L", ModelSpec.class, c.modelName(),
                        Names.fileName(c.source().path()), dims(g.type(g.input()).dims()), dims(g.type(g.output()).dims()),
                        Objective.class, c.objective().name(), list)
                .add(",\n        $L, $L, $LL,\n        $L)", c.params().total(), c.params().trainable(), fingerprint(c),
                        ServingSpec.code(serving))
                .build();
    }

    /** The tensor list of a model with thousands of tensors, built by helpers (a static initialiser has 64 KiB too). */
    private static List<MethodSpec> splitTensors(List<MethodSplitter.Unit> each) {
        com.palantir.javapoet.TypeName list = com.palantir.javapoet.ParameterizedTypeName.get(List.class, TensorSpec.class);
        CodeBlock.Builder body = CodeBlock.builder().addStatement("$T t = new $T<>()", list, ArrayList.class);
        List<MethodSpec> methods = new ArrayList<>(MethodSplitter.fill(body, "tensors",
                List.of(com.palantir.javapoet.ParameterSpec.builder(list, "t").build()), true, CodeBlock.of(""), each));
        methods.add(0, MethodSpec.methodBuilder("tensors").addModifiers(Modifier.PRIVATE, Modifier.STATIC).returns(list)
                .addCode(body.build()).addStatement("return t").build());
        return methods;
    }

    private static String dims(int[] d) {
        List<String> s = new ArrayList<>();
        for (int x : d) {
            s.add(String.valueOf(x));
        }
        return String.join(", ", s);
    }

    /** A hash of the model's name and tensor names and shapes. */
    static long fingerprint(Compilation c) {
        long h = 0xcbf29ce484222325L;
        StringBuilder s = new StringBuilder(c.modelName());
        for (ParamAttrs p : c.params().tensors()) {
            s.append('|').append(p.name()).append(p.type().shapeText());
        }
        for (char ch : s.toString().toCharArray()) {
            h = (h ^ ch) * 0x100000001b3L;
        }
        return h;
    }

    private static MethodSpec initialize(Compilation c, Map<String, String> constants, TypeSpec.Builder type) {
        MethodSpec.Builder m = MethodSpec.methodBuilder("initialize").addAnnotation(Override.class)
                .addModifiers(Modifier.PUBLIC).addParameter(long.class, "seed");
        List<MethodSplitter.Unit> units = new ArrayList<>();
        LiteralValues literals = new LiteralValues();
        for (ParamAttrs p : c.params().tensors()) {
            String k = constants.get(p.name());
            int size = p.type().size();
            CodeBlock rng = CodeBlock.of("$T.stream(seed, $S)", Init.class, p.name());
            CodeBlock.Builder b = CodeBlock.builder();
            switch (p.init()) {
                case InitSpec.He h -> b.addStatement("$T.he(params, $N, $L, $L, $L)", Init.class, k, size, h.fanIn(), rng);
                case InitSpec.Glorot gl -> b.addStatement("$T.glorot(params, $N, $L, $L, $L, $L)", Init.class, k, size,
                        gl.fanIn(), gl.fanOut(), rng);
                case InitSpec.Normal nm -> b.addStatement("$T.normal(params, $N, $L, $L, $L)", Init.class, k, size,
                        JavaLiterals.doubleLiteral(nm.std()), rng);
                case InitSpec.Uniform u -> b.addStatement("$T.uniform(params, $N, $L, $L, $L)", Init.class, k, size,
                        JavaLiterals.doubleLiteral(u.limit()), rng);
                case InitSpec.Constant ct -> b.addStatement("$T.constant(params, $N, $L, $L)", Init.class, k, size,
                        JavaLiterals.floatLiteral((float) ct.value()));
                case InitSpec.Values v -> {
                    units.add(literals.statement(k, v.values()));
                    continue;
                }
            }
            units.add(new MethodSplitter.Unit(b.build(), 40));
        }
        CodeBlock.Builder body = CodeBlock.builder();
        type.addMethods(MethodSplitter.fill(body, "initialize", List.of(com.palantir.javapoet.ParameterSpec.builder(
                long.class, "seed").build()), false, CodeBlock.of(""), units));
        return m.addCode(body.build()).addStatement("paramsChanged()").build();
    }

    private static TypeSpec inferClass(Compilation c, PlanEmitter p) {
        Graph g = c.inferGraph();
        TypeSpec.Builder t = TypeSpec.classBuilder("Infer").addModifiers(Modifier.PRIVATE, Modifier.FINAL)
                .superclass(Inference.class)
                .addJavadoc("Inference: dropout off, batch norm on running statistics.\n");
        p.fields().forEach(t::addField);
        t.addMethod(MethodSpec.constructorBuilder().addParameter(Exec.class, "exec").addParameter(int.class, "capacity")
                .addStatement("super($L.this, exec, capacity, INFER_PER_SAMPLE, INFER_FIXED)", c.modelName())
                .addCode(p.constructorBody()).build());
        addOffsets(t, p, g, List.of("inputOffset", "outputOffset", "targetOffset"));
        int loss = g.loss() >= 0 ? g.loss() : Integer.MAX_VALUE;
        IntPredicate forward = id -> phase(g, id) == Origin.Phase.FORWARD && id < loss;
        t.addMethod(p.method("forward", Modifier.PROTECTED, forward));
        t.addMethod(p.method("evaluateLoss", Modifier.PROTECTED, id -> phase(g, id) == Origin.Phase.LOSS));
        p.helpers().forEach(t::addMethod);
        return t.build();
    }

    private static Origin.Phase phase(Graph g, int id) {
        return g.node(id).origin().phase();
    }

    private static void addOffsets(TypeSpec.Builder t, PlanEmitter p, Graph g, List<String> methods) {
        int[] values = {g.input(), g.output(), g.target()};
        for (int i = 0; i < methods.size(); i++) {
            String field = values[i] >= 0 ? p.offsetField(values[i]) : null;
            MethodSpec.Builder m = MethodSpec.methodBuilder(methods.get(i)).addAnnotation(Override.class)
                    .addModifiers(Modifier.PUBLIC).returns(int.class);
            if (field != null) {
                m.addStatement("return $N", field);
            } else {
                m.addStatement("return -1");
            }
            t.addMethod(m.build());
        }
    }

    private static TypeSpec trainClass(Compilation c, PlanEmitter p) {
        Graph g = c.trainGraph();
        TypeSpec.Builder t = TypeSpec.classBuilder("Train").addModifiers(Modifier.PRIVATE, Modifier.FINAL)
                .superclass(Training.class)
                .addJavadoc("Training: forward with dropout and batch statistics, loss, backward, $L.\n",
                        c.train().optimizer().kind().name().toLowerCase());
        p.fields().forEach(t::addField);
        t.addMethod(MethodSpec.constructorBuilder().addParameter(Exec.class, "exec").addParameter(int.class, "batch")
                .addParameter(long.class, "seed").addParameter(float.class, "lr")
                .addStatement("super($L.this, exec, batch, TRAIN_PER_SAMPLE, TRAIN_FIXED, STATE_ARRAYS, seed, lr)", c.modelName())
                .addCode(p.constructorBody()).build());
        addOffsets(t, p, g, List.of("inputOffset", "outputOffset", "targetOffset"));
        t.addMethod(p.method("forward", Modifier.PROTECTED, id -> phase(g, id) == Origin.Phase.FORWARD));
        t.addMethod(p.method("lossAndGrad", Modifier.PROTECTED, id -> phase(g, id) == Origin.Phase.LOSS));
        t.addMethod(p.method("backward", Modifier.PROTECTED, id -> phase(g, id) == Origin.Phase.BACKWARD));
        optimizerConstants(c.train().optimizer()).forEach(t::addField);
        t.addMethod(update(c, p.profiledKernels() == null ? -1 : p.profiledKernels().size()));
        if (p.profiledKernels() != null) {
            java.util.List<String> names = new java.util.ArrayList<>(p.profiledKernels());
            names.add("optimizer " + c.train().optimizer().kind().name().toLowerCase());
            t.addField(FieldSpec.builder(String[].class, "KERNELS", Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
                    .initializer("{$L}", names.stream().map(x -> CodeBlock.of("$S", x).toString())
                            .collect(java.util.stream.Collectors.joining(", "))).build());
            t.addMethod(MethodSpec.methodBuilder("kernelNames").addAnnotation(Override.class)
                    .addModifiers(Modifier.PUBLIC).returns(String[].class).addStatement("return KERNELS").build());
        }
        p.helpers().forEach(t::addMethod);
        return t.build();
    }

    /**
     * The optimizer's hyper-parameters as named constants of the Train class, the ones its
     * kernel calls take: adam and adamw {@code BETA1, BETA2, EPS, WEIGHT_DECAY}; sgd
     * {@code MOMENTUM, WEIGHT_DECAY, NESTEROV}.
     */
    private static List<FieldSpec> optimizerConstants(OptimizerSpec o) {
        List<FieldSpec> fields = new ArrayList<>();
        switch (o.kind()) {
            case ADAM, ADAMW -> {
                fields.add(constant(float.class, "BETA1", number(o.beta1()), "Decay rate of the first moment."));
                fields.add(constant(float.class, "BETA2", number(o.beta2()), "Decay rate of the second moment."));
                fields.add(constant(float.class, "EPS", number(o.eps()), "Added to the root of the second moment."));
            }
            case SGD -> fields.add(constant(float.class, "MOMENTUM", number(o.momentum()), "Momentum (0: none)."));
        }
        fields.add(constant(float.class, "WEIGHT_DECAY", number(o.weightDecay()),
                o.kind() == OptimizerSpec.Kind.ADAMW ? "Decoupled weight decay." : "L2 weight decay, added to the gradient."));
        if (o.kind() == OptimizerSpec.Kind.SGD) {
            fields.add(constant(boolean.class, "NESTEROV", CodeBlock.of("$L", o.nesterov()), "Nesterov momentum."));
        }
        return fields;
    }

    /** A float constant's initialiser. */
    private static CodeBlock number(float x) {
        return CodeBlock.of("$L", JavaLiterals.floatLiteral(x));
    }

    private static FieldSpec constant(Class<?> type, String name, CodeBlock value, String doc) {
        return FieldSpec.builder(type, name, Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL).initializer(value)
                .addJavadoc(doc + "\n").build();
    }

    /** One optimizer step: fused, one kernel pass over all trainable parameters; unfused, one pass per piece. */
    private static MethodSpec update(Compilation c, int profileIndex) {
        OptimizerSpec o = c.train().optimizer();
        int count = c.params().trainable();
        MethodSpec.Builder m = MethodSpec.methodBuilder("update").addAnnotation(Override.class)
                .addModifiers(Modifier.PROTECTED);
        if (profileIndex >= 0) {
            m.addStatement("long t = System.nanoTime()");
        }
        nnc.compiler.diag.Span at = c.train().optimizerSpan();
        String text = at.isKnown()
                ? Names.comment(c.source().text().substring(at.start(), at.end()).replaceAll("\\s+", " ")) : "";
        m.addComment("$L:$L  optimizer $L", Names.fileName(c.source().path()), c.source().lineColumn(at), text);
        String name = o.kind().name().toLowerCase();
        switch (o.kind()) {
            case ADAM, ADAMW -> {
                boolean decoupled = o.kind() == OptimizerSpec.Kind.ADAMW;
                m.addStatement("float bc1 = (float) (1 - $T.pow(BETA1, steps))", Math.class);
                m.addStatement("float bc2 = (float) (1 - $T.pow(BETA2, steps))", Math.class);
                if (c.fused()) {
                    m.addComment("$L as one pass over the parameters (weight decay folded in)", name);
                    m.addStatement("K.$L(exec, $L, params, grads, state1, state2, lr, BETA1, BETA2, EPS, WEIGHT_DECAY, "
                            + "bc1, bc2)", decoupled ? "adamW" : "adam", count);
                } else {
                    m.addComment("$L, one pass per step of the update", name);
                    if (o.weightDecay() != 0 && decoupled) {
                        m.addStatement("K.scale(exec, $L, params, 1 - lr * WEIGHT_DECAY)", count);
                    } else if (o.weightDecay() != 0) {
                        m.addStatement("K.axpy(exec, $L, grads, params, WEIGHT_DECAY)", count);
                    }
                    m.addStatement("K.adamMoments(exec, $L, state1, state2, grads, BETA1, BETA2)", count);
                    m.addStatement("K.adamApply(exec, $L, params, state1, state2, lr, EPS, bc1, bc2)", count);
                }
            }
            case SGD -> {
                if (c.fused()) {
                    m.addComment("SGD as one pass over the parameters");
                    m.addStatement("K.sgd(exec, $L, params, grads, state1, lr, MOMENTUM, WEIGHT_DECAY, NESTEROV)", count);
                } else {
                    m.addComment("SGD, one pass per step of the update");
                    if (o.weightDecay() != 0) {
                        m.addStatement("K.axpy(exec, $L, grads, params, WEIGHT_DECAY)", count);
                    }
                    if (o.momentum() != 0) {
                        m.addStatement("K.momentum(exec, $L, state1, grads, MOMENTUM)", count);
                        if (o.nesterov()) {
                            m.addStatement("K.axpy(exec, $L, grads, state1, MOMENTUM)", count);
                            m.addStatement("K.axpy(exec, $L, params, grads, -lr)", count);
                        } else {
                            m.addStatement("K.axpy(exec, $L, params, state1, -lr)", count);
                        }
                    } else {
                        m.addStatement("K.axpy(exec, $L, params, grads, -lr)", count);
                    }
                }
            }
        }
        if (profileIndex >= 0) {
            m.addStatement("lap($L, t)", profileIndex);
        }
        return m.build();
    }

    static ArrayTypeName floats() {
        return ArrayTypeName.of(float.class);
    }
}
