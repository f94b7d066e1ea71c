package nnc.compiler.codegen;

import nnc.compiler.diag.Diagnostics;
import nnc.compiler.pass.Pass;
import nnc.runtime.model.CompiledModel;

/**
 * Pass: compiles generated Java in memory and loads the model class ({@link InProcessCompiler}).
 * Generated code that javac rejects is a bug in nnc, not in the user's file: an internal error.
 */
public final class LoadClass implements Pass<GeneratedJava, Class<? extends CompiledModel>> {
    @Override
    public Class<? extends CompiledModel> run(GeneratedJava java, Diagnostics d) {
        try {
            return InProcessCompiler.compile(java.className(), java.text()).asSubclass(CompiledModel.class);
        } catch (InProcessCompiler.Failure e) {
            throw new IllegalStateException("internal error: " + e.getMessage(), e);
        }
    }
}
