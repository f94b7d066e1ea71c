package nnc.compiler.pass;

import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import nnc.compiler.Limits;
import nnc.compiler.diag.Diagnostics;
import nnc.compiler.diag.Span;
import nnc.compiler.ir.TensorType;

/**
 * The limits {@link ResolveNames} enforces as it inlines a model: blocks nested at most
 * {@link Limits#MAX_BLOCK_DEPTH} deep, at most {@link Limits#MAX_LAYERS} layers, an input a
 * tensor can hold. Once the depth or the layer count is exceeded (reported once, at the call
 * that exceeds it) everything after is skipped, so a block that uses another twice, forty
 * deep, stops at the limit instead of inlining 2^40 layers.
 */
final class InlineBudget {
    private boolean exceeded;

    /** True once a limit was exceeded: the caller stops. */
    boolean exceeded() {
        return exceeded;
    }

    /** False, after reporting at {@code at}, when entering {@code block} nests blocks too deep. */
    boolean enter(Deque<String> stack, String block, Span at, Diagnostics d) {
        if (stack.size() < Limits.MAX_BLOCK_DEPTH) {
            return !exceeded;
        }
        List<String> chain = new ArrayList<>(stack.reversed());
        chain.add(block);
        String shown = String.join(" -> ", chain.subList(0, 3)) + " -> ... -> "
                + String.join(" -> ", chain.subList(chain.size() - 2, chain.size()));
        d.error(at, "blocks nested deeper than " + Limits.MAX_BLOCK_DEPTH + ": " + shown, "use fewer levels of blocks");
        exceeded = true;
        return false;
    }

    /** False, after reporting at {@code at}, when a model of {@code nodes} nodes (its input and layers) gets one more. */
    boolean add(int nodes, Span at, Diagnostics d) {
        if (!exceeded && nodes > Limits.MAX_LAYERS) {
            d.error(at, "the model has more than " + Limits.count(Limits.MAX_LAYERS) + " layers (blocks inlined)",
                    "nnc compiles models of up to " + Limits.count(Limits.MAX_LAYERS) + " layers");
            exceeded = true;
        }
        return !exceeded;
    }

    /** The type of a model input of {@code dims}, or null after reporting at {@code at} that no tensor holds it. */
    static TensorType input(int[] dims, Span at, Diagnostics d) {
        try {
            return TensorType.fixed(dims);
        } catch (TensorType.TooLarge e) {
            d.error(at, "the input " + e.getMessage());
            return null;
        }
    }
}
