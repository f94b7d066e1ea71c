package nnc.compiler.codegen;

import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.ParameterSpec;
import java.util.ArrayList;
import java.util.List;
import javax.lang.model.element.Modifier;

/**
 * Spreads a long generated method body over numbered private helpers, so that any model that
 * passes {@code check} compiles: javac rejects a method of more than 64 KiB of bytecode ("code
 * too large"). Each unit of the body (a kernel call with its comment, an initialiser) carries
 * an estimate of its bytecode, on the high side; a body under {@link #BUDGET} stays in one
 * method, so models of ordinary size read exactly as before.
 *
 * <pre>
 *   protected void forward(int n) {      private void forward0(int n) {
 *       forward0(n);                          // mnist_mlp.nn:5:10  linear(256)
 *       forward1(n);                          K.gemm(...);
 *   }                                         ...
 * </pre>
 */
final class MethodSplitter {
    /** Estimated bytecode per method, about half of what javac accepts. */
    static final int BUDGET = 30_000;

    /** One statement group and its estimated bytecode size. */
    record Unit(CodeBlock code, int bytes) {
    }

    private MethodSplitter() {
    }

    /** True when the units do not fit in one method. */
    static boolean tooLong(List<Unit> units) {
        return units.stream().mapToLong(Unit::bytes).sum() > BUDGET;
    }

    /**
     * Adds {@code units} (after {@code prologue}) to {@code body}; when they are {@link #tooLong},
     * each chunk goes to a private helper {@code name0, name1, ...} taking {@code params} and
     * starting with {@code prologue}, and the body calls them in order. Returns the helpers to
     * add to the class.
     */
    static List<MethodSpec> fill(CodeBlock.Builder body, String name, List<ParameterSpec> params, boolean isStatic,
                                 CodeBlock prologue, List<Unit> units) {
        if (!tooLong(units)) {
            if (!units.isEmpty()) {
                body.add(prologue);
            }
            units.forEach(u -> body.add(u.code()));
            return List.of();
        }
        List<MethodSpec> helpers = new ArrayList<>();
        String args = String.join(", ", params.stream().map(ParameterSpec::name).toList());
        MethodSpec.Builder part = null;
        int bytes = 0;
        for (Unit u : units) {
            if (part == null || bytes + u.bytes() > BUDGET) {
                if (part != null) {
                    helpers.add(part.build());
                }
                String helper = name + helpers.size();
                part = MethodSpec.methodBuilder(helper).addModifiers(Modifier.PRIVATE).addParameters(params)
                        .addCode(prologue);
                if (isStatic) {
                    part.addModifiers(Modifier.STATIC);
                }
                body.addStatement("$N($L)", helper, args);
                bytes = 0;
            }
            part.addCode(u.code());
            bytes += u.bytes();
        }
        helpers.add(part.build());
        return helpers;
    }
}
