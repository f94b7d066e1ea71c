package nnc.spark;

import java.io.Serializable;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import nnc.compiler.codegen.InProcessCompiler;
import nnc.runtime.model.CompiledModel;

/**
 * What an executor needs to make a model instance: the generated class, by name when it is on
 * the class path (a model jar, the Maven plugin's output), else its class files (a model
 * compiled in memory by {@code NncCompiler}). The weights travel separately, in a broadcast.
 * Executors define a shipped class once per JVM ({@link #modelClass}).
 */
final class ModelShip implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final Map<String, Class<? extends CompiledModel>> DEFINED = new ConcurrentHashMap<>();

    private final String className;
    /** Binary name to bytes; null when the class is on the class path. */
    private final TreeMap<String, byte[]> classFiles;
    private final String key;

    private ModelShip(String className, TreeMap<String, byte[]> classFiles) {
        this.className = className;
        this.classFiles = classFiles;
        this.key = classFiles == null ? className : className + "@" + digest(classFiles);
    }

    static ModelShip of(CompiledModel model) {
        Class<?> c = model.getClass();
        Map<String, byte[]> files;
        try {
            files = InProcessCompiler.classFiles(c);
        } catch (IllegalArgumentException onClassPath) {
            return new ModelShip(c.getName(), null);
        }
        return new ModelShip(c.getName(), new TreeMap<>(files));
    }

    /** Tells shipped models apart: the class name, and the digest of shipped class files. */
    String key() {
        return key;
    }

    /** A new instance with zeroed parameters. */
    CompiledModel newModel() {
        try {
            return modelClass().getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot make an instance of " + className + ": " + e, e);
        }
    }

    private Class<? extends CompiledModel> modelClass() {
        return DEFINED.computeIfAbsent(key, k -> {
            try {
                ClassLoader parent = classFiles == null ? contextLoader() : CompiledModel.class.getClassLoader();
                ClassLoader loader = classFiles == null ? parent : new Loader(parent, classFiles);
                return Class.forName(className, true, loader).asSubclass(CompiledModel.class);
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException(className + " is not on the executors' class path: ship the model "
                        + "jar with --jars, or compile the model with NncCompiler (its classes then travel with the job)",
                        e);
            }
        });
    }

    private static ClassLoader contextLoader() {
        ClassLoader l = Thread.currentThread().getContextClassLoader();
        return l != null ? l : CompiledModel.class.getClassLoader();
    }

    private static String digest(Map<String, byte[]> files) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            for (Map.Entry<String, byte[]> e : files.entrySet()) {
                md.update(e.getKey().getBytes(java.nio.charset.StandardCharsets.UTF_8));
                md.update(e.getValue());
            }
            return HexFormat.of().formatHex(md.digest(), 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("internal error: no SHA-256", e);
        }
    }

    /** Defines the shipped class files; everything else comes from the runtime's loader. */
    private static final class Loader extends ClassLoader {
        private final Map<String, byte[]> files;

        Loader(ClassLoader parent, Map<String, byte[]> files) {
            super(parent);
            this.files = files;
        }

        @Override
        protected Class<?> findClass(String name) throws ClassNotFoundException {
            byte[] b = files.get(name);
            if (b == null) {
                throw new ClassNotFoundException(name);
            }
            return defineClass(name, b, 0, b.length);
        }
    }
}
