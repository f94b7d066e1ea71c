package nnc.compiler.layers;

import java.util.List;
import nnc.compiler.diag.Span;
import nnc.compiler.ir.TensorType;

/**
 * A network after name resolution: layer applications in order, blocks inlined, parameters
 * bound. Shapes are not known yet; InferShapes expands each node into ops.
 *
 * @param output the node whose value is the network's output
 */
public record LayerGraph(String model, Span modelSpan, List<LayerNode> nodes, int input, int output,
                         List<Assertion> assertions) {

    /**
     * One layer application.
     *
     * @param layer     null for the input node
     * @param inputType the declared input shape (input node only)
     * @param path      the block instances it sits in, outermost first ({@code Residual_1}), or ""
     */
    public record LayerNode(int id, Layer layer, Args args, List<Integer> inputs, String name, String path,
                            Span span, TensorType inputType) {
        public String qualifiedName() {
            return path.isEmpty() ? name : path + "/" + name;
        }
    }

    /** {@code : [dims]} after a stage: the value of {@code node} must have these dimensions. */
    public record Assertion(int node, int[] dims, Span span) {
    }

    /** Nodes that read node {@code id}. */
    public List<LayerNode> users(int id) {
        return nodes.stream().filter(n -> n.inputs().contains(id)).toList();
    }
}
