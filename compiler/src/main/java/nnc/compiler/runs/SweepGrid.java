package nnc.compiler.runs;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import nnc.compiler.Limits;
import nnc.compiler.diag.Diagnostics;
import nnc.compiler.diag.SourceFile;
import nnc.compiler.layers.Env;
import nnc.compiler.layers.Evaluate;
import nnc.compiler.layers.Val;
import nnc.compiler.syntax.Ast;

/**
 * A sweep's grid: named axes, each with its values as written ({@code 1e-2}, {@code 32}), and
 * the points of their product, the first axis changing slowest. Each point is a run folder of
 * its own, named by its values ({@code lr=1e-2,batch=32,p=0}), so running the same sweep again
 * finds the runs it already has.
 */
public record SweepGrid(List<Axis> axes) {
    /** Characters a value may have: numbers and bare names, nothing a folder name or a shell minds. */
    private static final String VALUE = "[A-Za-z0-9_.+-]+";

    public SweepGrid {
        axes = List.copyOf(axes);
        if (axes.isEmpty()) {
            throw new IllegalArgumentException("a sweep needs at least one axis");
        }
        Set<String> names = new HashSet<>();
        long runs = 1;
        for (Axis a : axes) {
            if (!names.add(a.name())) {
                throw new IllegalArgumentException("'" + a.name() + "' is swept twice");
            }
            runs = Math.min(runs * a.values().size(), Limits.MAX_SWEEP_RUNS + 1L);
        }
        if (runs > Limits.MAX_SWEEP_RUNS) {
            throw new IllegalArgumentException("the grid has more than " + Limits.count(Limits.MAX_SWEEP_RUNS)
                    + " runs, the most one sweep trains");
        }
    }

    /** One swept name and its values. */
    public record Axis(String name, List<String> values) {
        public Axis {
            values = List.copyOf(values);
            if (!name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
                throw new IllegalArgumentException("'" + name + "' is not a name");
            }
            if (values.isEmpty()) {
                throw new IllegalArgumentException("'" + name + "' has no values");
            }
            Set<String> seen = new HashSet<>();
            for (String v : values) {
                if (!v.matches(VALUE)) {
                    throw new IllegalArgumentException(name + ": '" + v + "' is not a number or a name");
                }
                if (!seen.add(v)) {
                    throw new IllegalArgumentException(name + ": " + v + " is given twice");
                }
            }
        }
    }

    /**
     * One run of the grid.
     *
     * @param index  0-based, in grid order
     * @param choice for each axis, the index of its value
     */
    public record Point(int index, List<String> names, List<String> values, List<Integer> choice) {
        /** The run folder's name: {@code lr=1e-2,batch=32,p=0}. */
        public String folderName() {
            return join(",");
        }

        /** How tables and legends name it: {@code lr=1e-2 batch=32 p=0}. */
        public String label() {
            return join(" ");
        }

        /** The {@code --set NAME=VALUE} arguments that make this run. */
        public List<String> sets() {
            List<String> s = new ArrayList<>();
            for (int i = 0; i < names.size(); i++) {
                s.add(names.get(i) + "=" + values.get(i));
            }
            return s;
        }

        private String join(String sep) {
            return String.join(sep, sets());
        }
    }

    /**
     * The grid of {@code --grid NAME=V1,V2,...} options, in the order given.
     *
     * @throws IllegalArgumentException naming the option that is malformed
     */
    public static SweepGrid parse(List<String> options) {
        List<Axis> axes = new ArrayList<>();
        for (String o : options) {
            int eq = o.indexOf('=');
            if (eq <= 0 || eq == o.length() - 1) {
                throw new IllegalArgumentException("--grid takes NAME=V1,V2,... (e.g. --grid lr=1e-3,1e-2), got '"
                        + o + "'");
            }
            List<String> values = new ArrayList<>();
            for (String v : o.substring(eq + 1).split(",", -1)) {
                values.add(v.strip());
            }
            axes.add(new Axis(o.substring(0, eq).strip(), values));
        }
        return new SweepGrid(axes);
    }

    /**
     * The grid of a {@code sweep} section that {@code nnc check} passed: each value as written
     * when it is a number literal ({@code 1e-2}), else as computed ({@code 2 * 16} is {@code 32}).
     */
    public static SweepGrid of(Ast.SweepDecl section, SourceFile source) {
        List<Axis> axes = new ArrayList<>();
        for (Ast.Axis a : section.axes()) {
            List<String> values = new ArrayList<>();
            for (Ast.Value v : a.values()) {
                values.add(text(v, source));
            }
            axes.add(new Axis(a.name(), values));
        }
        return new SweepGrid(axes);
    }

    private static String text(Ast.Value v, SourceFile source) {
        if (v instanceof Ast.NumberValue n) {
            return n.text();
        }
        if (v instanceof Ast.NegValue neg && neg.operand() instanceof Ast.NumberValue n) {
            return "-" + n.text();
        }
        Val x = Evaluate.eval(v, Env.EMPTY, new Diagnostics(source));
        if (x instanceof Val.Num num) {
            return num.integral() ? String.valueOf((long) num.value()) : String.valueOf(num.value());
        }
        throw new IllegalStateException("internal error: sweep value " + v + " passed the checks but is not a number");
    }

    public int size() {
        int n = 1;
        for (Axis a : axes) {
            n *= a.values().size();
        }
        return n;
    }

    /** Every point, the first axis changing slowest. */
    public List<Point> points() {
        List<Point> points = new ArrayList<>();
        List<String> names = axes.stream().map(Axis::name).toList();
        for (int i = 0; i < size(); i++) {
            List<String> values = new ArrayList<>();
            List<Integer> choice = new ArrayList<>();
            int rest = i;
            for (int a = axes.size() - 1; a >= 0; a--) {
                int k = axes.get(a).values().size();
                choice.add(0, rest % k);
                values.add(0, axes.get(a).values().get(rest % k));
                rest /= k;
            }
            points.add(new Point(i, names, List.copyOf(values), List.copyOf(choice)));
        }
        return points;
    }

    /** {@code lr (3) x batch (2) x p (3) = 18 runs}. */
    public String describe() {
        List<String> parts = axes.stream().map(a -> a.name() + " (" + a.values().size() + ")").toList();
        return String.join(" x ", parts) + " = " + size() + (size() == 1 ? " run" : " runs");
    }
}
