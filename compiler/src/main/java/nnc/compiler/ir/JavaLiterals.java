package nnc.compiler.ir;

/**
 * Numbers as Java source text in generated code. A finite value is written as Java prints it
 * ({@code 0.01f}, {@code 1.0E-8f}); infinity and NaN have no literal ({@code Infinityf} does not
 * compile), so they are written as the constants {@code Float.POSITIVE_INFINITY} and so on. The
 * front end rejects the numbers that would lead there; this keeps a slip from becoming a javac error.
 */
public final class JavaLiterals {
    private JavaLiterals() {
    }

    /** {@code 0.5f}, or {@code Float.POSITIVE_INFINITY}, {@code Float.NEGATIVE_INFINITY}, {@code Float.NaN}. */
    public static String floatLiteral(float f) {
        if (Float.isNaN(f)) {
            return "Float.NaN";
        }
        if (Float.isInfinite(f)) {
            return f > 0 ? "Float.POSITIVE_INFINITY" : "Float.NEGATIVE_INFINITY";
        }
        return f + "f";
    }

    /** {@code 0.5}, or {@code Double.POSITIVE_INFINITY}, {@code Double.NEGATIVE_INFINITY}, {@code Double.NaN}. */
    public static String doubleLiteral(double x) {
        if (Double.isNaN(x)) {
            return "Double.NaN";
        }
        if (Double.isInfinite(x)) {
            return x > 0 ? "Double.POSITIVE_INFINITY" : "Double.NEGATIVE_INFINITY";
        }
        return String.valueOf(x);
    }
}
