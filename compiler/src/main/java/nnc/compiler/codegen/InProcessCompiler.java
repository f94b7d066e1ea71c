package nnc.compiler.codegen;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.StringWriter;
import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.FileObject;
import javax.tools.ForwardingJavaFileManager;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileManager;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

/**
 * Compiles generated source with the JDK's own compiler, in memory (about 20 ms warm, against
 * half a second for a fresh javac process), and loads the classes.
 */
public final class InProcessCompiler {
    private InProcessCompiler() {
    }

    /** Generated code that javac rejected: a bug in nnc, not in the user's file. */
    public static final class Failure extends Exception {
        public Failure(String message) {
            super(message);
        }
    }

    public static Class<?> compile(String className, String source) throws Failure {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        if (javac == null) {
            throw new Failure("no Java compiler in this runtime: run nnc on a JDK (21 or later), not a JRE");
        }
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        StandardJavaFileManager standard = javac.getStandardFileManager(diagnostics, null, null);
        Map<String, ByteArrayOutputStream> classes = new HashMap<>();
        JavaFileManager memory = new ForwardingJavaFileManager<>(standard) {
            @Override
            public JavaFileObject getJavaFileForOutput(Location location, String name, JavaFileObject.Kind kind,
                                                       FileObject sibling) {
                return new SimpleJavaFileObject(URI.create("mem:///" + name.replace('.', '/') + kind.extension), kind) {
                    @Override
                    public OutputStream openOutputStream() {
                        ByteArrayOutputStream out = new ByteArrayOutputStream();
                        classes.put(name, out);
                        return out;
                    }
                };
            }
        };
        JavaFileObject unit = new SimpleJavaFileObject(
                URI.create("string:///" + className.replace('.', '/') + ".java"), JavaFileObject.Kind.SOURCE) {
            @Override
            public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                return source;
            }
        };
        List<String> options = List.of("--release", "21", "-proc:none", "-g", "-nowarn",
                "-classpath", System.getProperty("java.class.path"));
        StringWriter out = new StringWriter();
        boolean ok = javac.getTask(out, memory, diagnostics, options, null, List.of(unit)).call();
        if (!ok) {
            if (diagnostics.getDiagnostics().isEmpty() && out.toString().contains("OutOfMemoryError")) {
                // javac catches its own OutOfMemoryError and reports it as a crash: the heap, not the code
                throw new OutOfMemoryError("javac ran out of memory compiling " + className);
            }
            StringBuilder msg = new StringBuilder("javac rejected the generated code of " + className + ":\n");
            for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
                msg.append("  line ").append(d.getLineNumber()).append(": ").append(d.getMessage(null)).append('\n');
            }
            msg.append(out);
            throw new Failure(msg.toString());
        }
        Map<String, byte[]> files = new HashMap<>();
        classes.forEach((name, bytes) -> files.put(name, bytes.toByteArray()));
        MemoryLoader loader = new MemoryLoader(Map.copyOf(files));
        try {
            return loader.loadClass(className);
        } catch (ClassNotFoundException e) {
            throw new Failure("compiled " + className + " but could not load it: " + e.getMessage());
        }
    }

    /**
     * The class files of a class compiled here and of its nested classes, by binary name
     * ({@code nnc.generated.MnistMlp$Infer}): what {@code nnc build} puts in a jar.
     */
    public static Map<String, byte[]> classFiles(Class<?> compiled) {
        if (!(compiled.getClassLoader() instanceof MemoryLoader m)) {
            throw new IllegalArgumentException(compiled.getName() + " was not compiled in memory");
        }
        return m.files;
    }

    /** Defines the classes javac wrote to memory, and keeps their bytes. */
    private static final class MemoryLoader extends ClassLoader {
        private final Map<String, byte[]> files;

        MemoryLoader(Map<String, byte[]> files) {
            super(InProcessCompiler.class.getClassLoader());
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
