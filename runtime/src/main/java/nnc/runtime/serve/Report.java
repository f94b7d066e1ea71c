package nnc.runtime.serve;

import java.io.PrintStream;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.List;
import nnc.runtime.model.ModelSpec;
import nnc.runtime.model.Serving;

/**
 * Prints predictions: for a classifier, the class and its probability (or the top K), for a
 * regression the values; as text (for people: six significant digits), JSON (an array with one
 * object per line, every number exact as a float) or CSV (a header, then one row per input).
 */
public final class Report {
    /** The output formats. */
    public enum Format {
        TEXT, JSON, CSV
    }

    private final ModelSpec spec;
    private final Format format;
    private final int top;
    private final PrintStream out;

    /** @param top how many classes to print per input (1: the best one) */
    public Report(ModelSpec spec, Format format, int top, PrintStream out) {
        if (top < 1) {
            throw new IllegalArgumentException("--top must be >= 1, got " + top);
        }
        this.spec = spec;
        this.format = format;
        this.top = Math.min(top, classCount(spec));
        this.out = out;
    }

    /** Prints every sample's prediction; {@code outputs[count][outputSize]} are activated outputs. */
    public void print(Inputs.Batch in, float[] outputs, boolean names) {
        int width = spec.outputSize();
        if (format == Format.JSON) {
            out.println("[");
        } else if (format == Format.CSV) {
            out.println(header());
        }
        for (int i = 0; i < in.count(); i++) {
            float[] y = java.util.Arrays.copyOfRange(outputs, i * width, (i + 1) * width);
            String name = in.names().get(i);
            switch (format) {
                case TEXT -> out.println((names ? name + ": " : "") + text(y));
                case JSON -> out.println(json(name, y) + (i + 1 < in.count() ? "," : ""));
                case CSV -> out.println(csv(name, y));
            }
        }
        if (format == Format.JSON) {
            out.println("]");
        }
    }

    private boolean classifier() {
        return spec.serving().output().isClassifier();
    }

    private static int classCount(ModelSpec spec) {
        return spec.serving().output() == Serving.Output.BINARY && spec.outputSize() == 1 ? 2 : spec.outputSize();
    }

    /** Class probabilities of one output (a binary model's one probability p becomes {1 - p, p}). */
    private float[] probabilities(float[] y) {
        return spec.serving().output() == Serving.Output.BINARY && y.length == 1 ? new float[] {1 - y[0], y[0]} : y;
    }

    /** The {@code top} best class indices, most probable first. */
    private int[] ranked(float[] p) {
        int[] order = new int[top];
        boolean[] used = new boolean[p.length];
        for (int r = 0; r < top; r++) {
            int best = -1;
            for (int i = 0; i < p.length; i++) {
                if (!used[i] && (best < 0 || p[i] > p[best])) {
                    best = i;
                }
            }
            used[best] = true;
            order[r] = best;
        }
        return order;
    }

    /** "7", or "9 Ankle boot" when the label says more than the index. */
    private String classText(int i) {
        String label = spec.serving().label(i);
        return label.equals(Integer.toString(i)) ? label : i + " " + label;
    }

    private String text(float[] y) {
        if (!classifier()) {
            List<String> v = new ArrayList<>();
            for (float f : y) {
                v.add(format(f));
            }
            return String.join(" ", v);
        }
        float[] p = probabilities(y);
        int[] r = ranked(p);
        if (top == 1) {
            return "class " + classText(r[0]) + " (probability " + format(p[r[0]]) + ")";
        }
        List<String> items = new ArrayList<>();
        for (int i : r) {
            items.add(classText(i) + " (" + format(p[i]) + ")");
        }
        return String.join(", ", items);
    }

    private String json(String name, float[] y) {
        StringBuilder b = new StringBuilder("{\"input\": ").append(quoteJson(name));
        if (!classifier()) {
            b.append(", \"outputs\": [");
            for (int i = 0; i < y.length; i++) {
                b.append(i > 0 ? ", " : "").append(number(y[i]));
            }
            return b.append("]}").toString();
        }
        float[] p = probabilities(y);
        int[] r = ranked(p);
        b.append(", \"class\": ").append(r[0]).append(", \"label\": ").append(quoteJson(spec.serving().label(r[0])))
                .append(", \"probability\": ").append(number(p[r[0]]));
        if (top > 1) {
            b.append(", \"top\": [");
            for (int k = 0; k < r.length; k++) {
                b.append(k > 0 ? ", " : "").append("{\"class\": ").append(r[k]).append(", \"label\": ")
                        .append(quoteJson(spec.serving().label(r[k]))).append(", \"probability\": ").append(number(p[r[k]]))
                        .append('}');
            }
            b.append(']');
        }
        return b.append('}').toString();
    }

    private String header() {
        List<String> h = new ArrayList<>(List.of("input"));
        if (!classifier()) {
            for (int i = 0; i < spec.outputSize(); i++) {
                h.add("y" + i);
            }
        } else {
            for (int k = 1; k <= top; k++) {
                String s = k == 1 ? "" : "_" + k;
                h.addAll(List.of("class" + s, "label" + s, "probability" + s));
            }
        }
        return String.join(",", h);
    }

    private String csv(String name, float[] y) {
        List<String> row = new ArrayList<>(List.of(quoteCsv(name)));
        if (!classifier()) {
            for (float f : y) {
                row.add(Float.toString(f));
            }
        } else {
            float[] p = probabilities(y);
            for (int i : ranked(p)) {
                row.addAll(List.of(Integer.toString(i), quoteCsv(spec.serving().label(i)), Float.toString(p[i])));
            }
        }
        return String.join(",", row);
    }

    /**
     * Six significant digits, no trailing zeros: 0.0100000005 prints as 0.01; below 0.0001 with
     * an exponent (2.19215E-18, not seventeen zeros and the digits).
     */
    public static String format(float v) {
        if (!Float.isFinite(v)) {
            return Float.toString(v);
        }
        BigDecimal d = new BigDecimal(v).round(new MathContext(6)).stripTrailingZeros();
        return v != 0 && Math.abs(v) < 1e-4f ? d.toString() : d.toPlainString();
    }

    /**
     * A JSON number that reads back as the same float. JSON has no NaN or infinities: those are
     * the strings "NaN", "Infinity" and "-Infinity" (as Float.parseFloat and JavaScript's Number
     * read them), so a reader can tell an overflow from a missing value.
     */
    private static String number(float v) {
        return Float.isFinite(v) ? Float.toString(v) : "\"" + v + "\"";
    }

    static String quoteJson(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\t' -> b.append("\\t");
                case '\r' -> b.append("\\r");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }

    static String quoteCsv(String s) {
        return s.contains(",") || s.contains("\"") || s.contains("\n") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }
}
