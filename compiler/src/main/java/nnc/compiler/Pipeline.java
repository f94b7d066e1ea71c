package nnc.compiler;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import nnc.compiler.codegen.EmitJava;
import nnc.compiler.codegen.GeneratedJava;
import nnc.compiler.codegen.LoadClass;
import nnc.compiler.diag.Diagnostics;
import nnc.compiler.diag.SourceFile;
import nnc.compiler.ir.Graph;
import nnc.compiler.ir.MemoryPlan;
import nnc.compiler.ir.Network;
import nnc.compiler.ir.ParamLayout;
import nnc.compiler.layers.LayerGraph;
import nnc.compiler.layers.Val;
import nnc.compiler.pass.ApplyRewrites;
import nnc.compiler.pass.AttachLoss;
import nnc.compiler.pass.BlockChannels;
import nnc.compiler.pass.CheckData;
import nnc.compiler.pass.CheckOverrides;
import nnc.compiler.pass.CheckSweep;
import nnc.compiler.pass.CheckTrainTargets;
import nnc.compiler.pass.DataSpec;
import nnc.compiler.pass.Declarations;
import nnc.compiler.pass.Differentiate;
import nnc.compiler.pass.FuseConvPool;
import nnc.compiler.pass.FuseOps;
import nnc.compiler.pass.InferShapes;
import nnc.compiler.pass.Pass;
import nnc.compiler.pass.PlanMemory;
import nnc.compiler.pass.ResolveData;
import nnc.compiler.pass.ResolveNames;
import nnc.compiler.pass.ResolveTrain;
import nnc.compiler.pass.SelectModel;
import nnc.compiler.pass.SpecializeMode;
import nnc.compiler.pass.TrainSpec;
import nnc.compiler.syntax.Ast;
import nnc.compiler.syntax.Parse;
import nnc.runtime.model.CompiledModel;

/**
 * The passes, in the order they run, from text to loaded class, and nothing else. Every stage
 * is a {@link Pass}: {@code run(input, diagnostics)}. A stage that reports an error stops its
 * line of work, so later stages only see well-formed input. {@link NncCompiler} is the public
 * entry point.
 *
 * <pre>
 *   Parse -> Declarations -> SelectModel -> CheckOverrides -> ResolveNames -> InferShapes
 *                                        -> ResolveTrain -> ResolveData -> CheckData
 *   train: SpecializeMode -> AttachLoss -> Differentiate -> ApplyRewrites -> FuseOps -> PlanMemory
 *   infer: SpecializeMode -> AttachLoss                  -> ApplyRewrites -> FuseConvPool -> BlockChannels
 *                                                                                     -> FuseOps -> PlanMemory
 *   EmitJava -> LoadClass
 * </pre>
 */
final class Pipeline {
    private Pipeline() {
    }

    /** What the pipeline produced, as far as the goal went; null parts were not asked for. */
    record Output(Compilation compilation, GeneratedJava java, Class<? extends CompiledModel> modelClass) {
    }

    /** Runs every stage up to {@code options.goal()}; null when there are errors (they are in {@code d}). */
    static Output run(SourceFile source, NncCompiler.Options options, Diagnostics d) {
        Ast.Program ast = stage(Parse::run, source, d);
        Declarations decls = stage(Declarations.COLLECT, ast, d);
        Ast.Network model = stage(new CheckOverrides(options.overrides()),
                stage(new SelectModel(options.model()), decls, d), d);
        Compilation c = model == null ? null : compileModel(source, ast, decls, model, options, d, null);
        if (c == null || options.goal() == NncCompiler.Goal.ANALYZE) {
            return c == null ? null : new Output(c, null, null);
        }
        GeneratedJava java = stage(new EmitJava(options.packageName(), options.profile()), c, d);
        if (options.goal() == NncCompiler.Goal.SOURCE) {
            return new Output(c, java, null);
        }
        return new Output(c, java, stage(new LoadClass(), java, d));
    }

    /**
     * Every check on every declaration of a file ({@code nnc check}): each model, each train and
     * sweep. Returns what an editor shows besides the diagnostics; null when the text does not parse.
     */
    static CompileResult.Analysis checkAll(SourceFile source, Diagnostics d) {
        Ast.Program ast = stage(Parse::run, source, d);
        Declarations decls = stage(Declarations.COLLECT, ast, d);
        if (decls == null) {
            return ast == null ? null : new CompileResult.Analysis(ast, List.of());
        }
        if (decls.models().isEmpty()) {
            new SelectModel(null).run(decls, d);
        }
        List<CompileResult.ModelShapes> shapes = new ArrayList<>();
        for (Ast.Network model : decls.models()) {
            compileModel(source, ast, decls, model, NncCompiler.Options.defaults(), d, shapes);
        }
        for (Ast.SweepDecl s : decls.sweeps()) {
            stage(new CheckSweep(decls), s, d);
        }
        for (Ast.TrainDecl t : decls.trains()) {
            stage(new CheckTrainTargets(decls), t, d);
        }
        return new CompileResult.Analysis(ast, shapes);
    }

    /**
     * One model through the front end, both specialisations, fusion and memory planning. With
     * {@code shapes}, also adds the model's layers and shapes as far as they were inferred,
     * errors or not (for editors: {@link CompileResult#analysis()}).
     */
    private static Compilation compileModel(SourceFile source, Ast.Program ast, Declarations decls,
                                            Ast.Network model, NncCompiler.Options options, Diagnostics d,
                                            List<CompileResult.ModelShapes> shapes) {
        int before = d.errorCount();
        Map<String, Val> overrides = options.overrides();
        LayerGraph layers = stage(new ResolveNames(decls, overrides), model, d);
        Ast.TrainDecl trainDecl = decls.trainOf(model.name());
        TrainSpec train = stage(new ResolveTrain(overrides), trainDecl, d);
        DataSpec data = stage(new ResolveData(decls), trainDecl, d);
        Network network = stage(InferShapes::run, layers, d);
        if (shapes != null) {
            shapes.add(network != null ? new CompileResult.ModelShapes(model, layers, network)
                    : partialShapes(source, decls, overrides, model));
        }
        if (train != null && data != null) {
            network = stage(new CheckData(train, data), network, d);
        }
        if (network == null || d.errorCount() > before) {
            return null;
        }
        ParamLayout params = ParamLayout.of(network.graph());
        MemoryPlan trainPlan = train == null ? null : plan(network, Graph.Mode.TRAIN, train, params, options, d);
        MemoryPlan inferPlan = plan(network, Graph.Mode.INFER, train, params, options, d);
        if (inferPlan == null || d.errorCount() > before) {
            return null;
        }
        return new Compilation(source, ast, layers, network, params, train, data,
                train == null ? nnc.runtime.model.Objective.NONE : train.loss().objective(),
                trainPlan == null ? null : trainPlan.schedule().graph(), trainPlan,
                inferPlan.schedule().graph(), inferPlan, options.fuse());
    }

    /**
     * For editors, a model with errors as far as it resolves and infers: a second, silent run
     * that keeps the partial graphs (its diagnostics repeat or follow from those reported).
     */
    private static CompileResult.ModelShapes partialShapes(SourceFile source, Declarations decls,
                                                           Map<String, Val> overrides, Ast.Network model) {
        Diagnostics silent = new Diagnostics(source);
        LayerGraph partial = new ResolveNames(decls, overrides).resolve(model, silent);
        return new CompileResult.ModelShapes(model, partial, InferShapes.infer(partial, silent));
    }

    /** The graph for one mode, with its loss (and for training its backward pass), fused and planned. */
    private static MemoryPlan plan(Network network, Graph.Mode mode, TrainSpec train, ParamLayout params,
                                   NncCompiler.Options options, Diagnostics d) {
        Graph g = stage(new SpecializeMode(mode), network.graph(), d);
        if (train != null) {
            g = stage(new AttachLoss(train), g, d);
        }
        if (mode == Graph.Mode.TRAIN) {
            g = stage(new Differentiate(), g, d);
        }
        if (options.fuse()) {
            g = stage(new ApplyRewrites(), g, d);
            if (mode == Graph.Mode.INFER) {
                g = stage(new BlockChannels(), stage(new FuseConvPool(), g, d), d);
            }
        }
        PlanMemory planMemory = train == null || mode != Graph.Mode.TRAIN ? new PlanMemory(params)
                : new PlanMemory(params, train.batch(), train.span());
        return stage(planMemory, stage(new FuseOps(options.fuse()), g, d), d);
    }

    /** Runs {@code pass} unless its input is missing; null when it reported an error. */
    private static <I, O> O stage(Pass<I, O> pass, I in, Diagnostics d) {
        if (in == null) {
            return null;
        }
        int before = d.errorCount();
        O out = pass.run(in, d);
        return d.errorCount() > before ? null : out;
    }
}
