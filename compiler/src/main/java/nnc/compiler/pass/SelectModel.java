package nnc.compiler.pass;

import java.util.List;
import java.util.Map;
import nnc.compiler.diag.Diagnostics;
import nnc.compiler.syntax.Ast;

/** Pass: picks the model a command works on from a file's declarations. */
public final class SelectModel implements Pass<Declarations, Ast.Network> {
    private final String wanted;

    /** @param wanted the model asked for ({@code --model}), or null */
    public SelectModel(String wanted) {
        this.wanted = wanted;
    }

    /**
     * The model a command works on: the one asked for, else the one trained, else the last
     * declared; null (with an error) when there is none.
     */
    @Override
    public Ast.Network run(Declarations decls, Diagnostics d) {
        Map<String, Ast.Network> networks = decls.networks();
        List<Ast.TrainDecl> trains = decls.trains();
        if (wanted != null) {
            Ast.Network n = networks.get(wanted);
            if (n == null || n.isBlock()) {
                d.error(nnc.compiler.diag.Span.NONE, "no model named '" + wanted + "' in " + d.source().path(),
                        nnc.compiler.diag.Suggest.didYouMean(wanted, decls.models().stream().map(Ast.Network::name).toList()));
                return null;
            }
            return n;
        }
        if (!trains.isEmpty() && networks.containsKey(trains.get(0).model().name())) {
            return networks.get(trains.get(0).model().name());
        }
        List<Ast.Network> models = decls.models();
        if (models.isEmpty()) {
            d.error(nnc.compiler.diag.Span.NONE, d.source().path() + " declares no model",
                    "add one: model Name { input x: [784] ... }");
            return null;
        }
        return models.get(models.size() - 1);
    }
}
