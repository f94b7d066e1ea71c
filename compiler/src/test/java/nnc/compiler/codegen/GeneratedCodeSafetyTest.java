package nnc.compiler.codegen;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import nnc.compiler.CompileResult;
import nnc.compiler.NncCompiler;
import nnc.runtime.model.CompiledModel;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * Generated code is safe from its input: text from a .nn file or its name reaches the Java
 * source only in comments and string literals, and cannot end them (javac turns a backslash-u
 * escape into a line break even inside a comment); model names that are not Java class names are
 * rejected before code is generated; big weight literals become Base64 data, not code.
 */
class GeneratedCodeSafetyTest {
    private static final String PAYLOAD = "} static { System.setProperty(\"nnc.injected\", \"yes\"); } //";

    private static CompileResult compile(String name, String text) {
        CompileResult r = NncCompiler.compile(name, text, NncCompiler.Options.defaults());
        assertTrue(r.ok(), r::render);
        return r;
    }

    @Test
    void aCommentInsideALayerCallCannotBreakOutOfTheGeneratedComment() {
        String text = "model M {\n    input x: [2]\n    x -> linear(1, # \\u000a " + PAYLOAD + "\n"
                + "        weight: [[1, 2]], bias: [0])\n}\ndata d = csv(\"d.csv\")\ntrain M on d {\n    loss mse\n"
                + "    optimizer sgd(lr: 0.1 # \\u000d " + PAYLOAD + "\n    )\n}\n";
        CompileResult r = compile("m.nn", text);
        assertFalse(hasUnicodeEscape(r.java().text()), "escapes are disarmed");
        CompiledModel m = r.newModel();
        m.initialize(0);
        assertArrayEquals(new float[] {5}, m.predict(new float[] {1, 2}));
        assertNull(System.getProperty("nnc.injected"));
    }

    /** A backslash-u that javac would read as an escape: one preceded by an even number of backslashes. */
    static boolean hasUnicodeEscape(String java) {
        for (int i = java.indexOf("\\u"); i >= 0; i = java.indexOf("\\u", i + 1)) {
            int before = 0;
            while (i - before - 1 >= 0 && java.charAt(i - before - 1) == '\\') {
                before++;
            }
            if (before % 2 == 0) {
                return true;
            }
        }
        return false;
    }

    @ParameterizedTest
    @ValueSource(strings = {"a*/b.nn", "line\nbreak.nn", "esc\\u000aape.nn", "cr\rreturn.nn", "q\"uote.nn", "uni\u2028.nn"})
    void aFileNameCannotBreakOutOfAComment(String name) {
        CompileResult r = compile(name, "model M {\n    input x: [2]\n    x -> linear(1, weight: [[1, 2]], bias: [0])\n}\n");
        assertFalse(hasUnicodeEscape(r.java().text()), "escapes are disarmed");
        CompiledModel m = r.newModel();
        m.initialize(0);
        assertArrayEquals(new float[] {5}, m.predict(new float[] {1, 2}));
        assertNull(System.getProperty("nnc.injected"));
    }

    /** Names the generated code uses itself (java.lang, its imports, its constants) still make a class that compiles. */
    @ParameterizedTest
    @ValueSource(strings = {"String", "Math", "Object", "System", "Override", "Integer", "List", "Exec", "Kernels",
        "CompiledModel", "Inference", "Training", "Init", "ModelSpec", "TensorSpec", "Objective", "Epilogue", "K", "SPEC"})
    void modelsNamedLikeClassesTheCodeUsesCompile(String name) {
        String text = ("model %s {\n    input x: [2]\n    x -> linear(2) -> relu -> linear(1)\n}\n"
                + "data d = csv(\"d.csv\")\ntrain %s on d {\n    loss mse\n}\n").formatted(name, name);
        CompiledModel m = compile("m.nn", text).newModel();
        m.initialize(1);
        assertEquals(1, m.predict(new float[] {1, 2}).length);
    }

    @ParameterizedTest
    @ValueSource(strings = {"class", "int", "true", "null", "var", "record", "Train", "Infer"})
    void modelsNamedLikeJavaWordsAreRejected(String name) {
        CompileResult r = NncCompiler.check(new nnc.compiler.diag.SourceFile("m.nn",
                "model " + name + " {\n    input x: [2]\n    x -> linear(1)\n}\n"));
        assertEquals(1, r.errors().size(), r::render);
        assertTrue(r.errors().get(0).message().startsWith("'" + name + "' cannot name a model"), r::render);
    }

    @Test
    void aPackageMustBeAJavaPackageName() {
        for (String p : new String[] {"class", "a.b-c", "a..b", "", "1a", "a.enum", "x;import"}) {
            assertFalse(NncCompiler.isPackageName(p), p);
        }
    }

    /** Issue 12's 1000 x 600 matrix written out: 50 Base64 chunks, read back exactly. */
    @Test
    void aLargeWeightLiteralIsDataNotCode() {
        Random rng = new Random(7);
        float[][] w = new float[1000][600];
        StringBuilder rows = new StringBuilder();
        for (int i = 0; i < 1000; i++) {
            rows.append(i == 0 ? "" : ",\n").append('[');
            for (int j = 0; j < 600; j++) {
                w[i][j] = Math.round((rng.nextFloat() * 2 - 1) * 1e4f) / 1e4f;
                rows.append(j == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.4f", w[i][j]));
            }
            rows.append(']');
        }
        CompileResult r = compile("lit.nn", "model Lit {\n    input x: [600]\n    x -> linear(1000, weight: [\n" + rows
                + "], bias: false)\n}\n");
        assertTrue(r.java().text().contains("Init.encoded(params, LINEAR_1_WEIGHT,"), "Base64 data");
        java.util.regex.Matcher arrays = java.util.regex.Pattern.compile("new float\\[] \\{([^}]*)}").matcher(r.java().text());
        while (arrays.find()) { // the serving's scale and shift are arrays of a value or a few
            assertTrue(arrays.group(1).split(",").length <= 64, "no float array of 600,000 constants");
        }
        CompiledModel m = r.newModel();
        m.initialize(0);
        float[] x = new float[600];
        x[17] = 1;
        float[] y = m.predict(x);
        for (int i = 0; i < 1000; i++) {
            assertEquals(w[i][17], y[i], 0, "row " + i);
        }
    }

    /**
     * Infinity and NaN have no Java literal ({@code Infinityf} does not compile): the emitters write
     * them as {@code Float.POSITIVE_INFINITY} and so on, and every float reads back with its bits.
     */
    @Test
    void nonFiniteFloatsAreWrittenAsConstantsJavacAccepts() throws Exception {
        float[] values = {Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN, Float.MAX_VALUE, Float.MIN_VALUE,
            -0f, 0.1f, 1e-40f};
        List<String> serving = new ArrayList<>();
        List<String> doubles = new ArrayList<>();
        for (float v : values) {
            serving.add(ServingSpec.floatLiteral(v));
            doubles.add(nnc.compiler.ir.JavaLiterals.doubleLiteral(v));
        }
        String fixed = new LiteralValues().statement("off", values).code().toString();
        Class<?> c = InProcessCompiler.compile("Literals", "public class Literals {\n"
                + "    public static final float[] SERVING = {" + String.join(", ", serving) + "};\n"
                + "    public static final double[] DOUBLES = {" + String.join(", ", doubles) + "};\n"
                + "    public static float[] fixed() {\n        float[] params = new float[" + values.length + "];\n"
                + "        int off = 0;\n        " + fixed + "        return params;\n    }\n}\n");
        assertArrayEquals(values, (float[]) c.getField("SERVING").get(null));
        assertArrayEquals(values, (float[]) c.getMethod("fixed").invoke(null));
        double[] wide = (double[]) c.getField("DOUBLES").get(null);
        for (int i = 0; i < values.length; i++) {
            assertEquals(Double.doubleToLongBits(values[i]), Double.doubleToLongBits(wide[i]), "value " + i);
        }
    }
}
