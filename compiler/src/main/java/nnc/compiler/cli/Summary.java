package nnc.compiler.cli;

import java.util.ArrayList;
import java.util.List;
import nnc.compiler.Compilation;
import nnc.compiler.ir.Graph;
import nnc.compiler.ir.Network.LayerInfo;
import nnc.compiler.ir.ParamAttrs;

/** The summary table: one row per layer (blocks expanded, with their path), then totals. */
public final class Summary {
    private Summary() {
    }

    public static String render(Compilation c, int batch) {
        Graph g = c.network().graph();
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"input", g.type(g.input()).shapeText(), "0"});
        for (LayerInfo l : c.network().layers()) {
            int params = l.params().stream().mapToInt(p -> g.node(p).type().size()).sum();
            rows.add(new String[] {l.qualifiedName() + " (" + l.kind() + ")", g.type(l.output()).shapeText(),
                String.format("%,d", params)});
        }
        int w0 = "Layer (type)".length();
        int w1 = "Output Shape".length();
        int w2 = "Param #".length();
        for (String[] r : rows) {
            w0 = Math.max(w0, r[0].length());
            w1 = Math.max(w1, r[1].length());
            w2 = Math.max(w2, r[2].length());
        }
        int width = w0 + w1 + w2 + 6;
        String thin = "-".repeat(width) + "\n";
        String thick = "=".repeat(width) + "\n";
        String fmt = "%-" + w0 + "s   %-" + w1 + "s   %" + w2 + "s%n";
        StringBuilder out = new StringBuilder();
        out.append("Model: ").append(c.modelName()).append("  (").append(c.source().path()).append(")\n");
        out.append(thin).append(String.format(fmt, "Layer (type)", "Output Shape", "Param #")).append(thick);
        for (String[] r : rows) {
            out.append(String.format(fmt, r[0], r[1], r[2]));
        }
        out.append(thick);
        long total = c.params().total();
        long trainable = g.params().stream().filter(p -> ((ParamAttrs) p.attrs()).trainable())
                .mapToLong(p -> p.type().size()).sum();
        out.append(String.format("Total params: %,d%n", total));
        out.append(String.format("Trainable params: %,d%n", trainable));
        out.append(String.format("Non-trainable params: %,d%n", total - trainable));
        List<String> dead = nnc.compiler.pass.Differentiate.deadBiases(g);
        if (c.trainPlan() != null && !dead.isEmpty()) {
            out.append("Dead biases (batch norm follows; their gradient is zero, so training skips it): ")
                    .append(String.join(", ", dead)).append('\n');
        }
        out.append(thin);
        if (c.trainPlan() != null) {
            out.append(String.format("Training arena (batch %d): %s in %d kernels (%s without buffer reuse)%n", batch,
                    bytes(c.trainPlan().arenaBytes(batch)), c.trainPlan().schedule().emitted().size(),
                    bytes(4L * c.trainPlan().naiveFloatsPerSample() * batch)));
        }
        out.append(String.format("Inference arena (batch %d): %s in %d kernels (%s without buffer reuse)%n", batch,
                bytes(c.inferPlan().arenaBytes(batch)), c.inferPlan().schedule().emitted().size(),
                bytes(4L * c.inferPlan().naiveFloatsPerSample() * batch)));
        out.append(String.format("Parameters: %s%n", bytes(4L * total)));
        return out.toString();
    }

    static String bytes(long b) {
        if (b < 1024) {
            return b + " B";
        }
        if (b < 1024 * 1024) {
            return String.format("%.1f KiB", b / 1024.0);
        }
        return String.format("%.1f MiB", b / (1024.0 * 1024));
    }
}
