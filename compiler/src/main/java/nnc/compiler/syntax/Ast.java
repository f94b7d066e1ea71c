package nnc.compiler.syntax;

import java.util.List;
import nnc.compiler.diag.Span;

/**
 * The abstract syntax of a .nn file: immutable records, each with the span of the text it
 * came from. Built from the parse tree by {@link AstBuilder}; nothing here is resolved yet
 * (names are strings, values are unevaluated expressions).
 */
public final class Ast {
    private Ast() {
    }

    public record Program(List<Decl> decls) {
    }

    public sealed interface Decl permits Network, DataDecl, TrainDecl, SweepDecl {
        String name();

        Span nameSpan();

        Span span();
    }

    /** A {@code model} or a {@code block}: parameters and a body of statements. */
    public record Network(boolean isBlock, String name, Span nameSpan, List<Param> params, List<Stmt> body,
                          Span span) implements Decl {
        public String keyword() {
            return isBlock ? "block" : "model";
        }
    }

    /** A network parameter, with its default value or null. */
    public record Param(String name, Span span, Value defaultValue) {
    }

    public sealed interface Stmt permits InputStmt, AssignStmt, ExprStmt {
        Span span();
    }

    /** {@code input x: [C, H, W]}; the shape is null in blocks, where the caller decides it. */
    public record InputStmt(String name, Span nameSpan, ShapeExpr shape, Span span) implements Stmt {
    }

    /** {@code name = pipeline}. */
    public record AssignStmt(String name, Span nameSpan, Pipeline value, Span span) implements Stmt {
    }

    /** A pipeline on its own; the last statement of a network is its output. */
    public record ExprStmt(Pipeline value, Span span) implements Stmt {
    }

    /** {@code head -> stage -> stage ...}. */
    public record Pipeline(Operand head, List<Stage> stages, Span span) {
    }

    /** {@code -> call} with an optional shape assertion {@code : [..]}. */
    public record Stage(Call call, ShapeExpr assertion, Span span) {
    }

    public sealed interface Operand permits AddOperand, ParenOperand, CallOperand {
        Span span();
    }

    /** {@code left + right}: element-wise sum (a residual connection). */
    public record AddOperand(Operand left, Operand right, Span opSpan, Span span) implements Operand {
    }

    public record ParenOperand(Pipeline inner, Span span) implements Operand {
    }

    /** A name ({@code x}) or a call ({@code concat(a, b)}) at the head of a pipeline. */
    public record CallOperand(Call call, Span span) implements Operand {
    }

    /** {@code name} or {@code name(args)}. */
    public record Call(String name, Span nameSpan, List<Arg> args, boolean hasParens, Span span) {
    }

    /** A positional ({@code name == null}) or named argument. */
    public record Arg(String name, Span nameSpan, Value value, Span span) {
    }

    public record ShapeExpr(List<Value> dims, Span span) {
    }

    public sealed interface Value permits NumberValue, StringValue, NameValue, ListValue, BinaryValue, NegValue {
        Span span();
    }

    public record NumberValue(double value, String text, Span span) implements Value {
        public boolean isInteger() {
            return value == Math.rint(value) && !text.contains(".") && !text.toLowerCase().contains("e");
        }
    }

    public record StringValue(String value, Span span) implements Value {
    }

    /** A name, or a call such as {@code normal(0.01)}, used as a value. */
    public record NameValue(Call call, Span span) implements Value {
    }

    public record ListValue(List<Value> items, Span span) implements Value {
    }

    public record BinaryValue(char op, Value left, Value right, Span span) implements Value {
    }

    public record NegValue(Value operand, Span span) implements Value {
    }

    /** {@code data name = source | transform | ...}. */
    public record DataDecl(String name, Span nameSpan, Call source, List<Call> transforms, Span span) implements Decl {
    }

    /** {@code train Model(args) on data { settings }}. */
    public record TrainDecl(Call model, String data, Span dataSpan, List<Setting> settings, Span span)
            implements Decl {
        @Override
        public String name() {
            return model.name();
        }

        @Override
        public Span nameSpan() {
            return model.nameSpan();
        }
    }

    /** {@code key arg, arg} inside a train block. */
    public record Setting(String key, Span keySpan, List<Arg> args, Span span) {
    }

    /** {@code sweep Model { name in [values] ... }}. */
    public record SweepDecl(String model, Span modelSpan, List<Axis> axes, Span span) implements Decl {
        @Override
        public String name() {
            return model;
        }

        @Override
        public Span nameSpan() {
            return modelSpan;
        }
    }

    public record Axis(String name, Span nameSpan, List<Value> values, Span span) {
    }
}
