package nnc.compiler.pass;

import nnc.compiler.diag.Diagnostics;
import nnc.compiler.diag.Suggest;
import nnc.compiler.syntax.Ast;

/** Pass: a {@code train} declaration must name a model of the file (not a block). */
public final class CheckTrainTargets implements Pass<Ast.TrainDecl, Ast.TrainDecl> {
    private final Declarations decls;

    public CheckTrainTargets(Declarations decls) {
        this.decls = decls;
    }

    @Override
    public Ast.TrainDecl run(Ast.TrainDecl t, Diagnostics d) {
        Ast.Network n = decls.networks().get(t.model().name());
        if (n == null || n.isBlock()) {
            d.error(t.model().nameSpan(), "unknown model '" + t.model().name() + "'",
                    Suggest.didYouMean(t.model().name(), decls.models().stream().map(Ast.Network::name).toList()));
            return null;
        }
        return t;
    }
}
