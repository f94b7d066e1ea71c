package nnc.compiler.layers;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import nnc.compiler.diag.Diagnostics;
import nnc.compiler.diag.Span;
import nnc.compiler.syntax.Ast;

/**
 * Evaluates the value expressions of a .nn file at compile time: numbers, strings, names
 * (a model or block parameter is substituted, reported at the place it is used), lists, calls
 * such as {@code normal(0.01)}, unary minus and arithmetic. A mistake becomes a diagnostic at
 * the expression's span and the value is null.
 */
public final class Evaluate {
    private Evaluate() {
    }

    /** The value of an expression, or null after reporting why it has none. */
    public static Val eval(Ast.Value v, Env env, Diagnostics d) {
        return switch (v) {
            case Ast.NumberValue n -> {
                if (!Double.isFinite(n.value())) {
                    d.error(n.span(), "number too large: " + n.text(), "numbers go up to about 1.8e308");
                    yield null;
                }
                yield new Val.Num(n.value(), n.isInteger(), n.span(), n.text());
            }
            case Ast.StringValue s -> new Val.Str(s.value(), s.span());
            case Ast.NameValue nv -> name(nv, env, d);
            case Ast.ListValue l -> {
                List<Val> items = new ArrayList<>();
                for (Ast.Value item : l.items()) {
                    Val x = eval(item, env, d);
                    if (x == null) {
                        yield null;
                    }
                    items.add(x);
                }
                yield new Val.ListVal(items, l.span());
            }
            case Ast.NegValue neg -> {
                // - - - 2: a chain of signs (up to 256) counted in a loop, not recursed into
                Ast.NegValue inner = neg;
                int signs = 1;
                while (inner.operand() instanceof Ast.NegValue next) {
                    inner = next;
                    signs++;
                }
                Val x = eval(inner.operand(), env, d);
                if (x == null) {
                    yield null;
                }
                if (!(x instanceof Val.Num num)) {
                    d.error(inner.span(), "'-' needs a number, got " + x.describe());
                    yield null;
                }
                boolean flip = signs % 2 == 1;
                String text = num.text() == null || !flip ? num.text()
                        : num.text().startsWith("-") ? num.text().substring(1) : "-" + num.text();
                yield new Val.Num(flip ? -num.value() : num.value(), num.integral(), neg.span(), text);
            }
            case Ast.BinaryValue b -> arithmetic(b, env, d);
        };
    }

    private static Val name(Ast.NameValue nv, Env env, Diagnostics d) {
        Ast.Call c = nv.call();
        if (!c.hasParens()) {
            Val bound = env.lookup(c.name());
            if (bound != null) {
                return rebase(bound, nv.span());
            }
            return new Val.Name(c.name(), nv.span());
        }
        List<Val> positional = new ArrayList<>();
        Map<String, Val> named = new LinkedHashMap<>();
        for (Ast.Arg a : c.args()) {
            Val x = eval(a.value(), env, d);
            if (x == null) {
                return null;
            }
            if (a.name() == null) {
                positional.add(x);
            } else {
                named.put(a.name(), x);
            }
        }
        return new Val.CallVal(c.name(), c.nameSpan(), positional, named, nv.span());
    }

    /** A parameter's value, reported at the place it is used. */
    private static Val rebase(Val v, Span at) {
        return switch (v) {
            case Val.Num n -> new Val.Num(n.value(), n.integral(), at, n.text());
            case Val.Str s -> new Val.Str(s.value(), at);
            case Val.Name n -> new Val.Name(n.value(), at);
            case Val.ListVal l -> new Val.ListVal(l.items(), at);
            case Val.CallVal c -> new Val.CallVal(c.name(), c.nameSpan(), c.positional(), c.named(), at);
        };
    }

    /**
     * {@code a + b - c ...}: a tree as deep as the chain is long (256 operators), so it is folded
     * in a loop along its left side rather than recursed into.
     */
    private static Val arithmetic(Ast.BinaryValue top, Env env, Diagnostics d) {
        java.util.ArrayDeque<Ast.BinaryValue> chain = new java.util.ArrayDeque<>();
        Ast.Value left = top;
        while (left instanceof Ast.BinaryValue b) {
            chain.push(b);
            left = b.left();
        }
        Val value = eval(left, env, d);
        for (Ast.BinaryValue b : chain) { // innermost first
            Val r = eval(b.right(), env, d);
            value = value == null || r == null ? null : combine(b, value, r, d);
        }
        return value;
    }

    private static Val combine(Ast.BinaryValue b, Val l, Val r, Diagnostics d) {
        if (!(l instanceof Val.Num x) || !(r instanceof Val.Num y)) {
            Val bad = l instanceof Val.Num ? r : l;
            d.error(bad.span(), "'" + b.op() + "' needs numbers, got " + bad.describe());
            return null;
        }
        double value;
        switch (b.op()) {
            case '+' -> value = x.value() + y.value();
            case '-' -> value = x.value() - y.value();
            case '*' -> value = x.value() * y.value();
            default -> {
                if (y.value() == 0) {
                    d.error(b.right().span(), "division by zero");
                    return null;
                }
                value = x.value() / y.value();
            }
        }
        if (!Double.isFinite(value)) {
            d.error(b.span(), "the result of '" + b.op() + "' is too large to be a number");
            return null;
        }
        boolean integral = x.integral() && y.integral() && value == Math.rint(value);
        return new Val.Num(value, integral, b.span());
    }
}
