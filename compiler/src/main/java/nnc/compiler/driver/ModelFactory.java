package nnc.compiler.driver;

import java.lang.reflect.InvocationTargetException;
import nnc.compiler.Compilation;
import nnc.compiler.codegen.InProcessCompiler;
import nnc.compiler.codegen.JavaEmitter;
import nnc.runtime.model.CompiledModel;

/** From a compilation to a live model: emit the Java, compile it in process, instantiate it. */
public final class ModelFactory {
    private ModelFactory() {
    }

    /** The generated source of a compilation. */
    public static String source(Compilation c) {
        return JavaEmitter.emit(c, JavaEmitter.DEFAULT_PACKAGE).toString();
    }

    public static CompiledModel instantiate(Compilation c) throws InProcessCompiler.Failure {
        return instantiate(c, false);
    }

    /** With {@code profile}, the training side times each kernel (see {@code Training.kernelNanos}). */
    public static CompiledModel instantiate(Compilation c, boolean profile) throws InProcessCompiler.Failure {
        String name = JavaEmitter.DEFAULT_PACKAGE + "." + c.modelName();
        Class<?> cls = InProcessCompiler.compile(name, JavaEmitter.emit(c, JavaEmitter.DEFAULT_PACKAGE, profile).toString());
        try {
            return (CompiledModel) cls.getDeclaredConstructor().newInstance();
        } catch (InstantiationException | IllegalAccessException | NoSuchMethodException e) {
            throw new InProcessCompiler.Failure("cannot instantiate " + name + ": " + e);
        } catch (InvocationTargetException e) {
            throw new InProcessCompiler.Failure("constructing " + name + " failed: " + e.getCause());
        }
    }
}
