package nnc.compiler;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import nnc.compiler.codegen.InProcessCompiler;
import nnc.compiler.codegen.JavaEmitter;
import nnc.compiler.data.KnownDatasets;
import nnc.compiler.diag.Diagnostics;
import nnc.compiler.diag.SourceFile;
import nnc.compiler.diag.Suggest;
import nnc.compiler.ir.Graph;
import nnc.compiler.ir.MemoryPlan;
import nnc.compiler.ir.Network;
import nnc.compiler.ir.ParamLayout;
import nnc.compiler.ir.KernelSchedule;
import nnc.compiler.ir.TensorType;
import nnc.compiler.layers.LayerGraph;
import nnc.compiler.layers.Val;
import nnc.compiler.pass.DataSpec;
import nnc.compiler.pass.Declarations;
import nnc.compiler.pass.Differentiate;
import nnc.compiler.pass.FuseOps;
import nnc.compiler.pass.InferShapes;
import nnc.compiler.pass.PlanMemory;
import nnc.compiler.pass.ResolveNames;
import nnc.compiler.pass.ResolveTraining;
import nnc.compiler.pass.SpecializeMode;
import nnc.compiler.pass.TrainSpec;
import nnc.compiler.syntax.Ast;
import nnc.compiler.syntax.Parse;
import nnc.runtime.model.CompiledModel;
import nnc.runtime.model.Objective;

/**
 * The passes, in the order they run, from text to loaded class. Each phase stops the pipeline
 * when it reported errors, so later passes only see well-formed input. {@link NncCompiler} is
 * the public entry point.
 *
 * <pre>
 *   Parse -> Declarations -> ResolveNames -> ResolveTraining -> InferShapes
 *         -> SpecializeMode(train) -> Differentiate -> FuseOps -> PlanMemory
 *         -> SpecializeMode(infer)                  -> FuseOps -> PlanMemory
 *         -> JavaEmitter -> InProcessCompiler
 * </pre>
 */
final class Pipeline {
    private Pipeline() {
    }

    /** What the pipeline produced, as far as the goal went; null parts were not asked for. */
    record Output(Compilation compilation, CompileResult.GeneratedJava java,
                  Class<? extends CompiledModel> modelClass) {
    }

    /** Runs every pass up to {@code options.goal()}; null when there are errors (they are in {@code d}). */
    static Output run(SourceFile source, NncCompiler.Options options, Diagnostics d) {
        Compilation c = compile(source, options, d);
        if (c == null) {
            return null;
        }
        if (options.goal() == NncCompiler.Goal.ANALYZE) {
            return new Output(c, null, null);
        }
        CompileResult.GeneratedJava java = new CompileResult.GeneratedJava(options.packageName() + "." + c.modelName(),
                JavaEmitter.emit(c, options.packageName(), options.profile()).toString());
        if (options.goal() == NncCompiler.Goal.SOURCE) {
            return new Output(c, java, null);
        }
        return new Output(c, java, load(java));
    }

    /** Generated code that javac rejects is a bug in nnc, not in the user's file. */
    private static Class<? extends CompiledModel> load(CompileResult.GeneratedJava java) {
        try {
            return InProcessCompiler.compile(java.className(), java.text()).asSubclass(CompiledModel.class);
        } catch (InProcessCompiler.Failure e) {
            throw new IllegalStateException("internal error: " + e.getMessage(), e);
        }
    }

    /** Compiles the main model of a file; null when there are errors (they are in {@code d}). */
    private static Compilation compile(SourceFile source, NncCompiler.Options options, Diagnostics d) {
        Ast.Program ast = Parse.run(source, d);
        if (ast == null) {
            return null;
        }
        Declarations decls = Declarations.collect(ast, d);
        Ast.Network model = decls.mainModel(options.model(), d);
        if (model == null || d.hasErrors()) {
            return null;
        }
        return compileModel(source, ast, decls, model, options, d, null);
    }

    /**
     * Runs every check on every model and declaration of a file: {@code nnc check}. Returns what
     * an editor shows besides the diagnostics (null when the text does not parse).
     */
    static CompileResult.Analysis checkAll(SourceFile source, Diagnostics d) {
        Ast.Program ast = Parse.run(source, d);
        if (ast == null) {
            return null;
        }
        Declarations decls = Declarations.collect(ast, d);
        if (decls.models().isEmpty()) {
            decls.mainModel(null, d);
        }
        List<CompileResult.ModelShapes> shapes = new ArrayList<>();
        for (Ast.Network model : decls.models()) {
            compileModel(source, ast, decls, model, NncCompiler.Options.defaults(), d, shapes);
        }
        for (Ast.SweepDecl s : decls.sweeps()) {
            ResolveTraining.sweep(s, decls, d);
        }
        for (Ast.TrainDecl t : decls.trains()) {
            if (!decls.networks().containsKey(t.model().name()) || decls.networks().get(t.model().name()).isBlock()) {
                d.error(t.model().nameSpan(), "unknown model '" + t.model().name() + "'",
                        Suggest.didYouMean(t.model().name(), decls.models().stream().map(Ast.Network::name).toList()));
            }
        }
        return new CompileResult.Analysis(ast, shapes);
    }

    /**
     * Compiles one model; null when it has errors. With {@code shapes}, also adds the model's
     * layers and shapes as far as they were inferred, errors or not (for editors).
     */
    private static Compilation compileModel(SourceFile source, Ast.Program ast, Declarations decls, Ast.Network model,
                                            NncCompiler.Options options, Diagnostics d,
                                            List<CompileResult.ModelShapes> shapes) {
        int before = d.errorCount();
        Ast.TrainDecl trainDecl = decls.trainOf(model.name());
        Map<String, Val> overrides = new java.util.LinkedHashMap<>(ResolveTraining.modelArguments(trainDecl, model, d));
        overrides.putAll(options.overrides());
        LayerGraph resolved = ResolveNames.resolve(decls, model, overrides, d);
        LayerGraph layers = d.errorCount() > before || resolved.output() < 0 ? null : resolved;
        TrainSpec train = trainDecl == null ? null : ResolveTraining.train(trainDecl, d);
        DataSpec data = trainDecl == null ? null : data(decls, trainDecl, d);
        int beforeShapes = d.errorCount();
        // A partial graph's shape errors are not reported: they follow from the errors that made it partial.
        Network inferred = layers != null ? InferShapes.infer(layers, d)
                : shapes != null ? InferShapes.infer(resolved, new Diagnostics(source)) : null;
        Network network = layers == null || d.errorCount() > beforeShapes || inferred.graph().output() < 0 ? null
                : inferred;
        if (shapes != null) {
            shapes.add(new CompileResult.ModelShapes(model, resolved, inferred));
        }
        if (d.errorCount() > before || network == null) {
            return null;
        }
        if (train != null && data != null) {
            checkData(network, train, data, d);
        }
        ParamLayout params = ParamLayout.of(network.graph());
        Graph trainGraph = null;
        MemoryPlan trainPlan = null;
        TrainSpec.LossKind loss = train == null ? null : train.loss();
        java.util.function.Supplier<nnc.compiler.diag.Span> lossSpan = () -> train.lossSpan();
        if (train != null) {
            Graph g = SpecializeMode.run(network.graph(), Graph.Mode.TRAIN, loss, lossSpan.get(), d);
            if (g != null) {
                trainGraph = Differentiate.run(g);
            }
        }
        Graph inferGraph = SpecializeMode.run(network.graph(), Graph.Mode.INFER, loss,
                train == null ? null : lossSpan.get(), d);
        if (d.errorCount() > before || inferGraph == null) {
            return null;
        }
        if (trainGraph != null) {
            KernelSchedule s = FuseOps.run(trainGraph, options.fuse());
            trainPlan = PlanMemory.run(s, params);
            trainGraph = s.graph();
        }
        KernelSchedule inferSchedule = FuseOps.run(inferGraph, options.fuse());
        MemoryPlan inferPlan = PlanMemory.run(inferSchedule, params);
        return new Compilation(source, ast, layers, network, params, train, data, objective(loss), trainGraph,
                trainPlan, inferSchedule.graph(), inferPlan, options.fuse());
    }

    private static DataSpec data(Declarations decls, Ast.TrainDecl t, Diagnostics d) {
        Ast.DataDecl decl = decls.data().get(t.data());
        if (decl == null) {
            d.error(t.dataSpan(), "unknown data '" + t.data() + "'",
                    decls.data().isEmpty() ? "declare it: data " + t.data() + " = idx(\"mnist\")"
                            : Suggest.didYouMean(t.data(), decls.data().keySet()));
            return null;
        }
        return ResolveTraining.data(decl, d);
    }

    /** A known dataset's samples must fit the model's input, and its classes its output. */
    private static void checkData(Network network, TrainSpec train, DataSpec data, Diagnostics d) {
        String name = switch (data.source()) {
            case DataSpec.Idx i -> i.dataset();
            case DataSpec.Cifar c -> c.dataset();
            case DataSpec.Csv c -> null;
        };
        KnownDatasets.Info info = name == null ? null : KnownDatasets.lookup(name);
        if (info == null) {
            return;
        }
        Graph g = network.graph();
        TensorType in = g.type(g.input());
        if (in.size() != info.sampleSize()) {
            d.error(train.dataSpan(), info.name() + " samples are " + TensorType.fixed(info.shape()).shapeText() + " ("
                    + info.sampleSize() + " values) but " + g.name() + " takes " + in.shapeText() + " (" + in.size()
                    + " values)", "declare the model input as " + TensorType.fixed(info.shape()).shapeText()
                    + " or [" + info.sampleSize() + "]");
        }
        TensorType out = g.type(g.output());
        if (train.loss() == TrainSpec.LossKind.CROSS_ENTROPY && out.size() < info.classes() && out.size() > 1) {
            d.error(train.lossSpan(), g.name() + " outputs " + out.size() + " classes but " + info.name() + " has "
                    + info.classes(), "end the model with linear(" + info.classes() + ")");
        }
    }

    private static Objective objective(TrainSpec.LossKind loss) {
        if (loss == null) {
            return Objective.NONE;
        }
        return switch (loss) {
            case CROSS_ENTROPY -> Objective.CLASSIFY;
            case BINARY_CROSS_ENTROPY -> Objective.BINARY;
            case MSE -> Objective.REGRESS;
        };
    }
}
