package nnc.compiler.pass;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import nnc.compiler.Limits;
import nnc.compiler.diag.Diagnostics;
import nnc.compiler.diag.Span;
import nnc.compiler.ir.Graph;
import nnc.compiler.ir.MemoryPlan;
import nnc.compiler.ir.MemoryPlan.Region;
import nnc.compiler.ir.MemoryPlan.Buffer;
import nnc.compiler.ir.Node;
import nnc.compiler.ir.Op;
import nnc.compiler.ir.ParamAttrs;
import nnc.compiler.ir.ParamLayout;
import nnc.compiler.ir.KernelSchedule;
import nnc.compiler.ir.KernelSchedule.Kernel;
import nnc.compiler.ir.KernelSchedule.Step;

/**
 * Pass: gives every stored value of a schedule a place, reusing arena space by liveness.
 *
 * <ol>
 *   <li>Stored values: sources, each kernel's output and the intermediates it stores.
 *       Values inside a fused kernel are never stored. A view (reshape) shares its base's
 *       buffer.</li>
 *   <li>Parameters go to the parameter array and their gradients to the gradient array, at
 *       the {@link ParamLayout} offset; everything else to the arena.</li>
 *   <li>Liveness: a value is live from the kernel that writes it (sources: from the start)
 *       to the last kernel that reads it, or to the end for the input, target and output.
 *       Intervals are closed, so a kernel never writes over a value it reads.</li>
 *   <li>Placement: largest first, each at the lowest offset that overlaps no placed value
 *       live at the same time (first fit, as TensorFlow Lite's arena planner). Offsets are
 *       multiples of 16 floats.</li>
 * </ol>
 * Batched values are planned in floats per sample (the region scales with the batch);
 * fixed-size values in a separate region.
 */
public final class PlanMemory implements Pass<KernelSchedule, MemoryPlan> {
    private static final int ALIGN = 16;
    private final ParamLayout layout;
    private final int rows;
    private final Span rowsAt;

    /** A plan whose arena need not fit any particular batch. */
    public PlanMemory(ParamLayout layout) {
        this(layout, 1, Span.NONE);
    }

    /**
     * @param rows   the batch the arena must hold in one array (the training batch)
     * @param rowsAt where that batch is declared, for the error when it does not fit
     */
    public PlanMemory(ParamLayout layout, int rows, Span rowsAt) {
        this.layout = layout;
        this.rows = rows;
        this.rowsAt = rowsAt;
    }

    @Override
    public MemoryPlan run(KernelSchedule schedule, Diagnostics d) {
        Graph g = schedule.graph();
        List<Kernel> kernels = schedule.kernels();
        int end = kernels.size();
        Map<Integer, Integer> def = new LinkedHashMap<>();
        Map<Integer, Integer> lastUse = new HashMap<>();

        for (Node n : g.nodes()) {
            if (n.op().pattern() == nnc.compiler.ir.Pattern.SOURCE) {
                def.put(n.id(), -1);
            }
        }
        for (int k = 0; k < kernels.size(); k++) {
            Kernel kernel = kernels.get(k);
            def.put(kernel.output(), k);
            for (int s : kernel.stored()) {
                def.put(s, k);
            }
            for (int read : reads(g, kernel)) {
                lastUse.merge(base(g, read), k, Math::max);
            }
        }
        for (int root : new int[] {g.input(), g.output(), g.target()}) {
            if (root >= 0) {
                lastUse.put(base(g, root), end);
            }
        }

        Map<Integer, Buffer> buffers = new LinkedHashMap<>();
        List<Integer> arena = new ArrayList<>();
        List<Integer> fixed = new ArrayList<>();
        long naive = 0;
        for (Map.Entry<Integer, Integer> e : def.entrySet()) {
            int v = e.getKey();
            Node n = g.node(v);
            int size = n.type().size();
            int last = lastUse.getOrDefault(v, e.getValue());
            Op.Storage storage = n.op().storage(n);
            if (storage == Op.Storage.PARAMS) {
                buffers.put(v, new Buffer(Region.PARAMS, layout.offset(((ParamAttrs) n.attrs()).name()), size, -1, end));
            } else if (g.paramGrads().containsValue(v)) {
                int param = g.paramGrads().entrySet().stream().filter(x -> x.getValue() == v).findFirst().orElseThrow().getKey();
                buffers.put(v, new Buffer(Region.GRADS, layout.offset(((ParamAttrs) g.node(param).attrs()).name()), size,
                        e.getValue(), end));
            } else if (storage == Op.Storage.NONE) {
                buffers.put(v, new Buffer(Region.NONE, 0, 0, e.getValue(), e.getValue()));
            } else {
                buffers.put(v, new Buffer(n.type().batched() ? Region.ARENA : Region.ARENA_FIXED, -1, size, e.getValue(), last));
                (n.type().batched() ? arena : fixed).add(v);
                if (n.type().batched()) {
                    naive += align(size);
                }
            }
        }
        long perSample = place(arena, buffers);
        long fixedFloats = place(fixed, buffers);
        if (perSample > Limits.MAX_ELEMENTS || fixedFloats > Limits.MAX_ELEMENTS) {
            List<Integer> region = perSample > Limits.MAX_ELEMENTS ? arena : fixed;
            int largest = region.stream().max(Comparator.comparingInt(v -> buffers.get(v).size())).orElseThrow();
            d.error(g.node(largest).origin().span(), "the " + what(g) + " plan needs "
                    + Limits.count(Math.max(perSample, fixedFloats)) + " floats" + (region == arena ? " per sample" : "")
                    + ", more than one array can hold (" + Limits.count(Limits.MAX_ELEMENTS) + "); this layer's "
                    + "output is the largest", "use smaller layers");
            return null;
        }
        // Views share their base's place.
        for (Node n : g.nodes()) {
            if (n.op().isView()) {
                Buffer b = buffers.get(base(g, n.id()));
                if (b != null) {
                    buffers.put(n.id(), new Buffer(b.region(), b.offset(), n.type().size(), b.def(), b.lastUse()));
                }
            }
        }
        if (perSample * rows + fixedFloats > Limits.MAX_ELEMENTS) {
            d.error(rowsAt, "with batch " + rows + " the " + what(g) + " arena needs "
                    + Limits.count(perSample * rows + fixedFloats) + " floats, more than one array can hold ("
                    + Limits.count(Limits.MAX_ELEMENTS) + ")", "use a batch of at most "
                    + Math.max(1, (Limits.MAX_ELEMENTS - fixedFloats) / Math.max(1, perSample)));
            return null;
        }
        return new MemoryPlan(schedule, buffers, (int) perSample, (int) fixedFloats, naive, layout);
    }

    private static String what(Graph g) {
        return switch (g.mode()) {
            case TRAIN -> "training";
            case INFER -> "inference";
            case NETWORK -> "network";
        };
    }

    /** The values a kernel reads (other than the chained value inside it). */
    static List<Integer> reads(Graph g, Kernel k) {
        List<Integer> reads = new ArrayList<>();
        if (k.anchor() >= 0) {
            reads.addAll(g.node(k.anchor()).inputs());
        } else {
            reads.add(k.source());
        }
        for (Step s : k.steps()) {
            Node n = g.node(s.node());
            for (int i = 0; i < n.inputs().size(); i++) {
                if (i != s.chainInput()) {
                    reads.add(n.input(i));
                }
            }
        }
        return reads;
    }

    /** The buffer a value lives in: itself, or the base of a view. */
    static int base(Graph g, int v) {
        while (g.node(v).op().isView()) {
            v = g.node(v).input(0);
        }
        return v;
    }

    private static long align(long size) {
        return (size + ALIGN - 1) / ALIGN * ALIGN;
    }

    /**
     * First-fit placement, largest first; returns the region's size. In long arithmetic: a
     * region past {@link Limits#MAX_ELEMENTS} is reported, and its offsets are not used.
     */
    private static long place(List<Integer> values, Map<Integer, Buffer> buffers) {
        List<Integer> order = new ArrayList<>(values);
        order.sort(Comparator.comparingInt((Integer v) -> -buffers.get(v).size()).thenComparingInt(v -> v));
        List<long[]> placed = new ArrayList<>(); // {offset, size, def, last}
        long total = 0;
        for (int v : order) {
            Buffer s = buffers.get(v);
            long size = align(s.size());
            List<long[]> overlapping = placed.stream()
                    .filter(p -> p[2] <= s.lastUse() && s.def() <= p[3])
                    .sorted(Comparator.comparingLong(p -> p[0])).toList();
            long offset = 0;
            for (long[] p : overlapping) {
                if (offset + size <= p[0]) {
                    break;
                }
                offset = Math.max(offset, p[0] + p[1]);
            }
            placed.add(new long[] {offset, size, s.def(), s.lastUse()});
            buffers.put(v, new Buffer(s.region(), (int) Math.min(offset, Integer.MAX_VALUE), s.size(), s.def(),
                    s.lastUse()));
            total = Math.max(total, offset + size);
        }
        return total;
    }
}
