package nnc.compiler.ir;

import java.util.List;
import nnc.compiler.diag.Span;

/**
 * A model after shape inference: its op graph (mode NETWORK) and, for summaries and
 * messages, the layer each group of ops came from.
 */
public record Network(Graph graph, List<LayerInfo> layers) {
    /**
     * One layer application.
     *
     * @param output the value the layer produces
     * @param params the parameter nodes it created
     */
    public record LayerInfo(String name, String path, String kind, Span span, int output, List<Integer> params) {
        public String qualifiedName() {
            return path.isEmpty() ? name : path + "/" + name;
        }
    }

    public int paramCount(boolean trainableOnly) {
        return graph.params().stream()
                .filter(p -> !trainableOnly || ((ParamAttrs) p.attrs()).trainable())
                .mapToInt(p -> p.type().size()).sum();
    }
}
