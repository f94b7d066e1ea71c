package nnc.compiler.pass;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import nnc.compiler.diag.Diagnostics;
import nnc.compiler.syntax.Ast;

/**
 * The top-level names of a file: networks (models and blocks share one namespace), data sets,
 * and the train and sweep declarations. A name declared twice is an error at the second.
 */
public record Declarations(Map<String, Ast.Network> networks, Map<String, Ast.DataDecl> data,
                           List<Ast.TrainDecl> trains, List<Ast.SweepDecl> sweeps) {

    /** The pass: collects the declarations of a parsed file. */
    public static final Pass<Ast.Program, Declarations> COLLECT = Declarations::collect;

    public static Declarations collect(Ast.Program program, Diagnostics d) {
        Map<String, Ast.Network> networks = new LinkedHashMap<>();
        Map<String, Ast.DataDecl> data = new LinkedHashMap<>();
        List<Ast.TrainDecl> trains = new java.util.ArrayList<>();
        List<Ast.SweepDecl> sweeps = new java.util.ArrayList<>();
        for (Ast.Decl decl : program.decls()) {
            switch (decl) {
                case Ast.Network n -> {
                    Ast.Network prior = networks.get(n.name());
                    if (prior != null) {
                        d.error(n.nameSpan(), prior.keyword() + " '" + n.name() + "' is already defined at line "
                                + d.source().line(prior.nameSpan().start()), "give one of them another name");
                    } else {
                        networks.put(n.name(), n);
                    }
                }
                case Ast.DataDecl dd -> {
                    Ast.DataDecl prior = data.get(dd.name());
                    if (prior != null) {
                        d.error(dd.nameSpan(), "data '" + dd.name() + "' is already defined at line "
                                + d.source().line(prior.nameSpan().start()), "give one of them another name");
                    } else {
                        data.put(dd.name(), dd);
                    }
                }
                case Ast.TrainDecl t -> trains.add(t);
                case Ast.SweepDecl s -> sweeps.add(s);
            }
        }
        return new Declarations(networks, data, trains, sweeps);
    }

    public List<Ast.Network> models() {
        return networks.values().stream().filter(n -> !n.isBlock()).toList();
    }

    /** The train declaration of {@code model}, or null. */
    public Ast.TrainDecl trainOf(String model) {
        return trains.stream().filter(t -> t.model().name().equals(model)).findFirst().orElse(null);
    }
}
