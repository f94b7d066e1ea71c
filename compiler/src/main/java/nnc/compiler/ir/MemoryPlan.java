package nnc.compiler.ir;

import java.util.Map;

/**
 * Where every value of a schedule lives. Arena values that scale with the batch sit at
 * {@code offset * batch}; fixed-size ones at {@code floatsPerSample * batch + offset}.
 *
 * @param floatsPerSample floats per sample of the batch-scaled region
 * @param fixedFloats  floats of the fixed region
 * @param naiveFloatsPerSample   floats per sample without reuse (every value its own buffer), for comparison
 */
public record MemoryPlan(KernelSchedule schedule, Map<Integer, Buffer> buffers, int floatsPerSample, int fixedFloats,
                         long naiveFloatsPerSample, ParamLayout params) {

    /** Which array a value is in. */
    public enum Region {
        /** The arena, scaled by the batch. */
        ARENA,
        /** The arena's fixed tail. */
        ARENA_FIXED,
        /** The flat parameter array. */
        PARAMS,
        /** The flat gradient array (trainable prefix of the parameter layout). */
        GRADS,
        /** Not stored (a loss value computed only for its statistics). */
        NONE
    }

    /** One value's place; {@code live} is its kernel interval [def, lastUse] (for dumps). */
    public record Buffer(Region region, int offset, int size, int def, int lastUse) {
    }

    public Buffer buffer(int value) {
        Buffer s = buffers.get(value);
        if (s == null) {
            throw new IllegalStateException("internal error: value %" + value + " has no place in the memory plan");
        }
        return s;
    }

    /** Arena bytes at a batch size. */
    public long arenaBytes(int batch) {
        return 4L * ((long) floatsPerSample * batch + fixedFloats);
    }

    /** One line per stored value, for {@code --dump=plan}. */
    public String dump() {
        StringBuilder out = new StringBuilder();
        Graph g = schedule.graph();
        out.append("memory plan ").append(g.name()).append(" (").append(g.mode().name().toLowerCase()).append("): ")
                .append(floatsPerSample).append(" floats per sample + ").append(fixedFloats).append(" fixed (")
                .append(naiveFloatsPerSample).append(" per sample without reuse)\n");
        buffers.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> {
            Buffer s = e.getValue();
            Node n = g.node(e.getKey());
            // The kernel's anchor (a convolution fused with its epilogue) names its algorithm.
            KernelSchedule.Kernel k = schedule.kernelOf(e.getKey());
            Node anchor = k != null && k.anchor() >= 0 && k.output() == e.getKey() ? g.node(k.anchor()) : n;
            String note = anchor.op().planNote(g, anchor);
            out.append(String.format("  %%%-4d %-12s %-11s @%-8d size %-8d live k%d..k%d  %s%s%n", e.getKey(),
                    n.op().name(), s.region().name().toLowerCase(), s.offset(), s.size(), s.def(), s.lastUse(), n.type(),
                    note.isEmpty() ? "" : "  " + note));
        });
        return out.toString();
    }
}
