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
                    String why = n.isBlock() ? null : whyNotClassName(n.name());
                    if (why != null) {
                        d.error(n.nameSpan(), "'" + n.name() + "' cannot name a model: it becomes the name of a Java "
                                + "class, and " + why, "use another name, e.g. " + Character.toUpperCase(n.name().charAt(0))
                                + n.name().substring(1) + "Model");
                    }
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

    /** Java's restricted identifiers: not keywords, yet no class may be named so. */
    private static final java.util.Set<String> RESTRICTED = java.util.Set.of("var", "yield", "record", "sealed", "permits");

    /** Why {@code name} cannot be the simple name of the generated class, or null when it can. */
    public static String whyNotClassName(String name) {
        if (javax.lang.model.SourceVersion.isKeyword(name) || RESTRICTED.contains(name)) {
            return "'" + name + "' is a reserved word in Java";
        }
        if (name.equals("Train") || name.equals("Infer")) {
            return "the class has inner classes named Train and Infer";
        }
        return null;
    }

    public List<Ast.Network> models() {
        return networks.values().stream().filter(n -> !n.isBlock()).toList();
    }

    /** The train declaration of {@code model}, or null. */
    public Ast.TrainDecl trainOf(String model) {
        return trains.stream().filter(t -> t.model().name().equals(model)).findFirst().orElse(null);
    }
}
