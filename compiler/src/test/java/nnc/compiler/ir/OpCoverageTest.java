package nnc.compiler.ir;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.palantir.javapoet.CodeBlock;
import java.io.IOException;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import nnc.compiler.TestModels;
import nnc.runtime.kernels.Act;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Nothing in the op table goes unchecked: every op in {@link Ops#ALL} and every activation
 * has its gradient rule checked against finite differences ({@link GradientRulesTest}) and the
 * kernel its generated code calls covered by the runtime's contract suite (every backend on
 * one and two threads against the scalar reference). Adding an op or an activation without
 * both fails here, naming it.
 *
 * <p>Gradient: an op is covered when it appears in a graph a {@link GradientRulesTest} case
 * checked (forward ops, and the gradient ops their rules add), or is the inference form
 * ({@link Op#inMode}) of one that does (inference forms are never differentiated), or is made
 * from such ops by an inference-only fusion ({@code FuseConvPool}, whose test compares the fused
 * node with the nodes it replaces). Kernel: each
 * such node's code ({@link Op#emit}, or {@link Op#epilogueStep} for a pointwise op) is emitted
 * against a stub context, and the kernel method it calls must be called in the contract suite's
 * sources; activations must be in the contract suite's list of all of {@link Act}.
 */
class OpCoverageTest {
    /** A node of an op in the graph it was checked in. */
    record Reached(Graph graph, Node node) {
    }

    /** A representative node of every op reached, by op name. */
    private static final Map<String, Reached> REACHED = new LinkedHashMap<>();

    @BeforeAll
    static void runTheGradientChecks() {
        for (GradientRulesTest.Case c : GradientRulesTest.cases()) {
            for (Graph g : c.check().get()) {
                for (Node n : g.nodes()) {
                    REACHED.putIfAbsent(n.op().name(), new Reached(g, n));
                    for (Graph.Mode mode : Graph.Mode.values()) {
                        Op form = n.op().inMode(mode);
                        if (form != null && form != n.op()) {
                            REACHED.putIfAbsent(form.name(), new Reached(g, new Node(n.id(), form, n.inputs(), n.attrs(),
                                    n.type(), n.origin())));
                        }
                    }
                }
            }
        }
        // Inference-only fusions (FuseConvPool) are made from forward ops reached above; their
        // tests compare them with the nodes they replace.
        Graph infer = TestModels.compile(INFERENCE_FUSIONS, true).inferGraph();
        for (Node n : infer.nodes()) {
            REACHED.putIfAbsent(n.op().name(), new Reached(infer, n));
        }
    }

    /** A model whose inference graph has every inference-only fused op. */
    private static final String INFERENCE_FUSIONS = """
            model M {
                input x: [1, 8, 8]
                x -> conv2d(4, 3) -> relu -> maxpool(2) -> flatten -> linear(2)
            }
            """;

    @Test
    void everyOpIsReachedByAGradientCheck() {
        List<String> missing = Ops.ALL.stream().map(Op::name).filter(name -> !REACHED.containsKey(name)).toList();
        assertTrue(missing.isEmpty(), "ops no GradientRulesTest case reaches (add a case): " + missing);
    }

    @Test
    void everyActivationIsGradientChecked() {
        List<String> missing = new ArrayList<>();
        for (Act act : Act.values()) {
            if (!REACHED.containsKey(Ops.activation(act).name())) {
                missing.add(act.name());
            }
        }
        assertTrue(missing.isEmpty(), "activations without a gradient check: " + missing);
    }

    @Test
    void everyOpsKernelHasAContractTest() throws IOException {
        String contracts = contractSources();
        Map<String, String> missing = new LinkedHashMap<>();
        for (Op op : Ops.ALL) {
            Reached r = REACHED.get(op.name());
            if (r == null) {
                continue; // reported by everyOpIsReachedByAGradientCheck
            }
            for (String kernel : kernelCalls(r)) {
                if (!contracts.contains("." + kernel + "(")) {
                    missing.put(op.name(), kernel);
                }
            }
        }
        assertTrue(missing.isEmpty(), "op -> kernel method no contract test calls: " + missing);
    }

    /** The activation contract runs every {@link Act}, not a list that a new one could miss. */
    @Test
    void everyActivationHasAContractTest() throws IOException {
        assertTrue(contractSources().contains("@EnumSource(Act.class)"),
                "the contract suite's activation test must iterate Act (@EnumSource(Act.class))");
    }

    /** The kernel methods a node's generated code calls: {@code K.name(} or an epilogue step {@code .name(}. */
    static Set<String> kernelCalls(Reached r) {
        Node n = r.node();
        EmitContext ctx = stub(r.graph());
        String code;
        if (n.op().pattern().isPointwise()) {
            CodeBlock step = n.op().epilogueStep(ctx, n, 0);
            code = step == null ? "" : step.toString();
        } else {
            code = n.op().emit(ctx, n).toString();
        }
        Set<String> calls = new LinkedHashSet<>();
        Matcher m = Pattern.compile("(?:^|kernels)\\.(\\w+)\\(").matcher(code);
        while (m.find()) {
            calls.add(m.group(1));
        }
        return calls;
    }

    static String contractSources() throws IOException {
        Path dir = TestModels.root().resolve("runtime/src/test/java/nnc/runtime/kernels");
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> contracts = files.filter(p -> p.getFileName().toString().endsWith("ContractTest.java")).toList();
            assertTrue(contracts.size() >= 2, "no contract tests in " + dir);
            StringBuilder all = new StringBuilder();
            for (Path p : contracts) {
                all.append(Files.readString(p));
            }
            return all.toString();
        }
    }

    /**
     * Placeholders for everything an emit may ask (each CodeBlock-valued method answers its own
     * name); only the shape of the call matters here.
     */
    private static EmitContext stub(Graph g) {
        return (EmitContext) Proxy.newProxyInstance(EmitContext.class.getClassLoader(), new Class<?>[] {EmitContext.class},
                (proxy, method, args) -> method.getName().equals("graph") ? g : CodeBlock.of("$L", method.getName()));
    }

    @Test
    void theStubFindsKernelCalls() {
        assertTrue(kernelCalls(REACHED.get("matmul")).contains("gemm"), () -> REACHED.get("matmul").toString());
        assertTrue(kernelCalls(REACHED.get("relu")).contains("act"), () -> REACHED.get("relu").toString());
        assertTrue(kernelCalls(REACHED.get("batchnorm_infer")).contains("batchNorm"));
    }
}
