package nnc.compiler.codegen;

import nnc.compiler.Compilation;
import nnc.compiler.diag.Diagnostics;
import nnc.compiler.pass.Pass;

/** Pass: a compilation's model class as Java source ({@link JavaEmitter}). */
public final class EmitJava implements Pass<Compilation, GeneratedJava> {
    private final String packageName;
    private final boolean profile;

    /** @param profile time every kernel of the training side ({@code nnc train --profile}) */
    public EmitJava(String packageName, boolean profile) {
        this.packageName = packageName;
        this.profile = profile;
    }

    @Override
    public GeneratedJava run(Compilation c, Diagnostics d) {
        return new GeneratedJava(packageName + "." + c.modelName(),
                JavaEmitter.emit(c, packageName, profile).toString());
    }
}
