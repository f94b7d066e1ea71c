package nnc.runtime.serve;

import java.io.File;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Properties;

/**
 * The main class of a model jar, compiled for Java 8 so that any JVM can load it: on Java 21 or
 * later it hands over to {@code ModelMain}; on an older JVM it says which Java the model needs
 * (and one found on this machine) instead of the JVM's {@code UnsupportedClassVersionError}.
 */
public final class JarLauncher {
    /** The oldest Java the runtime's classes are compiled for ({@code --release}). */
    static final int NEEDED = 21;

    private JarLauncher() {
    }

    public static void main(String[] args) throws Throwable {
        int here = feature(System.getProperty("java.specification.version", "0"));
        if (here < NEEDED) {
            String jar = jarName();
            System.err.println("java -jar " + jar + ": this model needs Java " + NEEDED + " or later; this is Java "
                    + here + " (" + System.getProperty("java.home") + ")");
            String newer = newerJava();
            System.err.println(newer == null
                    ? "  = hint: install a JDK or JRE " + NEEDED + " or later and run the jar with its java"
                    : "  = hint: run it with " + newer + " -jar " + jar + " ...");
            System.exit(1);
        }
        Method main = Class.forName("nnc.runtime.serve.ModelMain").getMethod("main", String[].class);
        try {
            main.invoke(null, (Object) args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    /** The file name of the jar this class was loaded from, or "model.jar". */
    static String jarName() {
        try {
            File jar = new File(JarLauncher.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            String name = jar.getName();
            return name.isEmpty() ? "model.jar" : name;
        } catch (RuntimeException | java.net.URISyntaxException e) {
            return "model.jar";
        }
    }

    /** The feature version of "1.8", "17" or "21.0.1": 8, 17, 21; 0 when unreadable. */
    static int feature(String spec) {
        String s = spec.startsWith("1.") ? spec.substring(2) : spec;
        int end = 0;
        while (end < s.length() && Character.isDigit(s.charAt(end))) {
            end++;
        }
        try {
            return end == 0 ? 0 : Integer.parseInt(s.substring(0, end));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** The java launcher of the newest JDK or JRE >= {@link #NEEDED} under /usr/lib/jvm, or null. */
    static String newerJava() {
        File[] homes = new File("/usr/lib/jvm").listFiles();
        String best = null;
        int bestVersion = 0;
        for (File home : homes == null ? new File[0] : homes) {
            File java = new File(home, "bin/java");
            int v = releaseVersion(new File(home, "release"));
            if (v >= NEEDED && v > bestVersion && java.canExecute()) {
                best = java.getPath();
                bestVersion = v;
            }
        }
        return best;
    }

    private static int releaseVersion(File release) {
        Properties p = new Properties();
        try (InputStream in = new FileInputStream(release)) {
            p.load(in);
        } catch (IOException e) {
            return 0;
        }
        return feature(p.getProperty("JAVA_VERSION", "0").replace("\"", ""));
    }
}
