package nnc.compiler.ir;

import com.palantir.javapoet.CodeBlock;
import java.util.List;

/**
 * Everything the compiler knows about one IR operation, in one place: its shape rule, its
 * gradient rule, its fusion class, its reference semantics (double precision) and the
 * kernel call it becomes. {@link Ops} lists every op.
 */
public interface Op {
    String name();

    Pattern pattern();

    /** The output type for these inputs, or a {@link ShapeException} saying what does not fit. */
    TensorType infer(List<TensorType> inputs, Object attrs) throws ShapeException;

    /**
     * The gradient rule: given the gradient {@code dy} of this node's output, adds the nodes
     * that compute the gradient of each input for which {@link GradContext#needs} is true and
     * returns their ids ({@code -1} where no gradient is needed or defined).
     */
    default int[] gradient(GradContext g, Node node, int dy) {
        throw new IllegalStateException("internal error: " + name() + " has no gradient rule");
    }

    /**
     * Floating-point operations per sample of the batch to compute this node from inputs of
     * these types (for hovers and summaries; approximate by design): a multiply-add counts
     * two, a pointwise op one per output element, sources and data movement none. Ops that
     * combine many elements (GEMM, convolution, reductions) declare their own count.
     */
    default long flops(Node node, List<TensorType> inputs) {
        return switch (pattern()) {
            case ELEMWISE, BROADCAST -> node.type().size();
            case SOURCE, INJECTIVE -> 0;
            default -> throw new IllegalStateException("internal error: " + name() + " declares no FLOP count");
        };
    }

    /** Reference semantics in double precision: the output for these inputs. */
    double[] evaluate(EvalContext ctx, Node node, double[][] inputs);

    /** The kernel call for this node on its own (or as the anchor of a fused group). */
    CodeBlock emit(EmitContext ctx, Node node);

    /**
     * The epilogue step that applies this pointwise op to the value flowing through a fused
     * chain, which is its input number {@code chainInput}; null when it cannot be a step
     * that way. Pointwise ops (see {@link Pattern#isPointwise}) implement it for input 0.
     */
    default CodeBlock epilogueStep(EmitContext ctx, Node node, int chainInput) {
        return null;
    }

    /**
     * Whether this pointwise op can be an epilogue step with the chained value arriving on
     * input {@code input} (the others are read beside it). Input 0 for every pointwise op;
     * both inputs for a commutative one.
     */
    default boolean chainsOn(int input) {
        return pattern().isPointwise() && input == 0;
    }

    /** True for an anchor whose kernel call takes an epilogue (GEMM, convolution). */
    default boolean acceptsEpilogue() {
        return false;
    }

    /** True when the output is the input 0 buffer seen with another shape (no kernel). */
    default boolean isView() {
        return false;
    }

    /**
     * What this op becomes in a training or an inference graph (see {@code SpecializeMode}):
     * itself by default; another op (batch norm on its running statistics for inference); or
     * null when the op is absent in that mode and its users read its input 0 instead (dropout
     * for inference).
     */
    default Op inMode(Graph.Mode mode) {
        return this;
    }

    /** Where the memory plan keeps a node's value. */
    enum Storage {
        /** The arena (activations, the input and target). */
        ARENA,
        /** The flat parameter array, at the tensor's offset. */
        PARAMS,
        /** Nowhere: the node only contributes to the step's statistics. */
        NONE
    }

    /** Where the memory plan keeps this node's value: the arena unless the op says otherwise. */
    default Storage storage(Node node) {
        return Storage.ARENA;
    }

    /** The name generated code gives this node's value (before camel case): its layer's by default. */
    default String valueName(Node node) {
        return node.origin().layer();
    }

    /**
     * Which input is a per-channel bias added to the other ({@code bias_add}: 1), or -1. With
     * {@link #cancelsChannelShift} it lets Differentiate drop a bias that batch norm cancels.
     */
    default int channelBiasInput() {
        return -1;
    }

    /** The activation function this node applies elementwise ({@code relu}, {@code gelu}...), or null. */
    default nnc.runtime.kernels.Act appliedActivation() {
        return null;
    }

    /**
     * True when the output does not change if a constant per channel is added to input 0
     * (batch norm in training: the batch mean subtraction removes it exactly).
     */
    default boolean cancelsChannelShift() {
        return false;
    }

    /** What {@code --dump=plan} adds after this node's type (the algorithm a kernel takes); none by default. */
    default String planNote(Node node) {
        return "";
    }

    /** {@link #planNote(Node)} for an op whose note depends on the graph around the node. */
    default String planNote(Graph g, Node node) {
        return planNote(node);
    }

    /**
     * The node whose kernel also computes this node's value, or -1 (the default) when this
     * node's own kernel does. A node computed elsewhere emits no kernel of its own.
     */
    default int computedBy(Graph graph, Node node) {
        return -1;
    }

    /** How a kernel profile names this node: the op's name by default. */
    default String profileName(Node node) {
        return name();
    }

    /**
     * A local algebraic rewrite that FuseOps applies before grouping (softmax feeding a
     * cross-entropy becomes one fused loss); null when none applies to this node.
     */
    default Rewrite rewrite(Graph graph, Node node) {
        return null;
    }
}
