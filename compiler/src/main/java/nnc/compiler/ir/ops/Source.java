package nnc.compiler.ir.ops;

import com.palantir.javapoet.CodeBlock;
import java.util.List;
import nnc.compiler.ir.EmitContext;
import nnc.compiler.ir.EvalContext;
import nnc.compiler.ir.Node;
import nnc.compiler.ir.Op;
import nnc.compiler.ir.ParamAttrs;
import nnc.compiler.ir.Pattern;
import nnc.compiler.ir.TensorType;

/**
 * Values that come from outside the graph: the model input, the training target, and
 * parameters. They have no kernel; the memory plan places them (input and target in the
 * arena, parameters in the flat parameter array).
 */
public final class Source implements Op {
    /** Which kind of source. */
    public enum Kind {
        INPUT, TARGET, PARAM
    }

    private final Kind kind;

    public Source(Kind kind) {
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }

    @Override
    public String name() {
        return kind.name().toLowerCase();
    }

    @Override
    public Storage storage(Node node) {
        return kind == Kind.PARAM ? Storage.PARAMS : Storage.ARENA;
    }

    @Override
    public String valueName(Node node) {
        return kind == Kind.PARAM ? node.origin().layer() : name();
    }

    @Override
    public Pattern pattern() {
        return Pattern.SOURCE;
    }

    @Override
    public TensorType infer(List<TensorType> inputs, Object attrs) {
        if (attrs instanceof ParamAttrs p) {
            return p.type();
        }
        return (TensorType) attrs;
    }

    @Override
    public double[] evaluate(EvalContext ctx, Node node, double[][] inputs) {
        throw new IllegalStateException("internal error: the interpreter supplies " + name() + " values");
    }

    @Override
    public CodeBlock emit(EmitContext ctx, Node node) {
        return CodeBlock.of("");
    }
}
