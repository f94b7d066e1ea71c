package nnc.compiler.cli;

import java.lang.reflect.InvocationTargetException;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code nnc train --spark}: hands the command line to the nnc-spark module, found by name, so
 * that nnc itself never depends on Spark. The {@code ./nnc} launcher puts that module and
 * Spark on the class path when {@code --spark} is given.
 */
final class SparkBridge {
    static final String ENTRY = "nnc.spark.cli.SparkTrain";

    private SparkBridge() {
    }

    static int train(List<String> originalArgs) {
        List<String> args = new ArrayList<>(originalArgs);
        int at = args.indexOf("train");
        args = args.subList(at + 1, args.size());
        Class<?> entry;
        try {
            entry = Class.forName(ENTRY);
        } catch (ClassNotFoundException | LinkageError e) {
            throw new UserError("nnc: --spark needs the nnc-spark module and Spark on the class path; run nnc through "
                    + "its launcher (./nnc train FILE --spark local[4]), which adds them, or see docs/spark.md");
        }
        try {
            return (Integer) entry.getMethod("run", String[].class).invoke(null, (Object) args.toArray(new String[0]));
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException("internal error: " + e.getCause(), e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("internal error: " + ENTRY + " cannot be called: " + e, e);
        }
    }
}
