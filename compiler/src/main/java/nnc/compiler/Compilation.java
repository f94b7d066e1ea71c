package nnc.compiler;

import nnc.compiler.diag.SourceFile;
import nnc.compiler.ir.Graph;
import nnc.compiler.ir.MemoryPlan;
import nnc.compiler.ir.Network;
import nnc.compiler.ir.ParamLayout;
import nnc.compiler.layers.LayerGraph;
import nnc.compiler.pass.DataSpec;
import nnc.compiler.pass.TrainSpec;
import nnc.compiler.syntax.Ast;
import nnc.runtime.model.Objective;

/**
 * Everything the pipeline produced for one model, pass by pass, so commands and
 * {@code --dump} can show any stage.
 *
 * @param train the training declaration, or null (inference only); {@code trainGraph} and
 *              {@code trainPlan} are null then too
 * @param data  the data it trains on, or null
 */
public record Compilation(SourceFile source, Ast.Program ast, LayerGraph layers, Network network,
                          ParamLayout params, TrainSpec train, DataSpec data, Objective objective,
                          Graph trainGraph, MemoryPlan trainPlan, Graph inferGraph, MemoryPlan inferPlan,
                          boolean fused) {
    public String modelName() {
        return network.graph().name();
    }
}
