package nnc.compiler.syntax;

import java.util.ArrayList;
import java.util.List;
import nnc.compiler.diag.Span;
import nnc.compiler.syntax.Ast.AddOperand;
import nnc.compiler.syntax.Ast.Arg;
import nnc.compiler.syntax.Ast.AssignStmt;
import nnc.compiler.syntax.Ast.Axis;
import nnc.compiler.syntax.Ast.BinaryValue;
import nnc.compiler.syntax.Ast.Call;
import nnc.compiler.syntax.Ast.CallOperand;
import nnc.compiler.syntax.Ast.DataDecl;
import nnc.compiler.syntax.Ast.Decl;
import nnc.compiler.syntax.Ast.ExprStmt;
import nnc.compiler.syntax.Ast.InputStmt;
import nnc.compiler.syntax.Ast.ListValue;
import nnc.compiler.syntax.Ast.NameValue;
import nnc.compiler.syntax.Ast.NegValue;
import nnc.compiler.syntax.Ast.Network;
import nnc.compiler.syntax.Ast.NumberValue;
import nnc.compiler.syntax.Ast.Operand;
import nnc.compiler.syntax.Ast.Param;
import nnc.compiler.syntax.Ast.ParenOperand;
import nnc.compiler.syntax.Ast.Pipeline;
import nnc.compiler.syntax.Ast.Program;
import nnc.compiler.syntax.Ast.Setting;
import nnc.compiler.syntax.Ast.ShapeExpr;
import nnc.compiler.syntax.Ast.Stage;
import nnc.compiler.syntax.Ast.Stmt;
import nnc.compiler.syntax.Ast.StringValue;
import nnc.compiler.syntax.Ast.SweepDecl;
import nnc.compiler.syntax.Ast.TrainDecl;
import nnc.compiler.syntax.Ast.Value;
import nnc.grammar.NnParser;
import org.antlr.v4.runtime.ParserRuleContext;
import org.antlr.v4.runtime.Token;

/**
 * Typed conversion from ANTLR's parse tree to {@link Ast} records, one method per grammar
 * rule. Only runs on a tree without syntax errors.
 */
final class AstBuilder {
    private AstBuilder() {
    }

    // ---- the one place where ANTLR positions become spans ----

    static Span span(ParserRuleContext ctx) {
        Token stop = ctx.stop != null && ctx.stop.getStopIndex() >= ctx.start.getStartIndex() ? ctx.stop : ctx.start;
        return new Span(ctx.start.getStartIndex(), stop.getStopIndex() + 1);
    }

    static Span span(Token t) {
        return new Span(t.getStartIndex(), t.getStopIndex() + 1);
    }

    // ---- declarations ----

    static Program program(NnParser.ProgramContext ctx) {
        List<Decl> decls = new ArrayList<>();
        for (NnParser.DeclContext d : ctx.decl()) {
            decls.add(decl(d));
        }
        return new Program(decls);
    }

    private static Decl decl(NnParser.DeclContext ctx) {
        if (ctx.modelDecl() != null) {
            NnParser.ModelDeclContext m = ctx.modelDecl();
            return new Network(false, m.name.getText(), span(m.name), params(m.paramList()), body(m.body()), span(m));
        }
        if (ctx.blockDecl() != null) {
            NnParser.BlockDeclContext b = ctx.blockDecl();
            return new Network(true, b.name.getText(), span(b.name), params(b.paramList()), body(b.body()), span(b));
        }
        if (ctx.dataDecl() != null) {
            NnParser.DataDeclContext d = ctx.dataDecl();
            List<Call> transforms = new ArrayList<>();
            for (int i = 1; i < d.call().size(); i++) {
                transforms.add(call(d.call(i)));
            }
            return new DataDecl(d.name.getText(), span(d.name), call(d.source), transforms, span(d));
        }
        if (ctx.trainDecl() != null) {
            NnParser.TrainDeclContext t = ctx.trainDecl();
            List<Setting> settings = new ArrayList<>();
            for (NnParser.SettingContext s : t.settings().setting()) {
                List<Arg> args = new ArrayList<>();
                for (NnParser.ArgContext a : s.arg()) {
                    args.add(arg(a));
                }
                settings.add(new Setting(s.key.getText(), span(s.key), args, span(s)));
            }
            return new TrainDecl(call(t.model), t.data.getText(), span(t.data), settings, span(t));
        }
        NnParser.SweepDeclContext s = ctx.sweepDecl();
        List<Axis> axes = new ArrayList<>();
        for (NnParser.AxisContext a : s.axes().axis()) {
            List<Value> values = new ArrayList<>();
            for (NnParser.ValueContext v : a.value()) {
                values.add(value(v));
            }
            axes.add(new Axis(a.name.getText(), span(a.name), values, span(a)));
        }
        return new SweepDecl(s.model.getText(), span(s.model), axes, span(s));
    }

    private static List<Param> params(NnParser.ParamListContext ctx) {
        List<Param> params = new ArrayList<>();
        if (ctx != null) {
            for (NnParser.ParamContext p : ctx.param()) {
                params.add(new Param(p.name.getText(), span(p.name), p.value() == null ? null : value(p.value())));
            }
        }
        return params;
    }

    private static List<Stmt> body(NnParser.BodyContext ctx) {
        List<Stmt> stmts = new ArrayList<>();
        for (NnParser.StmtContext s : ctx.stmt()) {
            stmts.add(stmt(s));
        }
        return stmts;
    }

    private static Stmt stmt(NnParser.StmtContext ctx) {
        if (ctx instanceof NnParser.InputStmtContext in) {
            return new InputStmt(in.name.getText(), span(in.name), in.shape() == null ? null : shape(in.shape()), span(in));
        }
        if (ctx instanceof NnParser.AssignStmtContext as) {
            return new AssignStmt(as.name.getText(), span(as.name), pipeline(as.pipeline()), span(as));
        }
        NnParser.ExprStmtContext ex = (NnParser.ExprStmtContext) ctx;
        return new ExprStmt(pipeline(ex.pipeline()), span(ex));
    }

    // ---- networks ----

    private static Pipeline pipeline(NnParser.PipelineContext ctx) {
        List<Stage> stages = new ArrayList<>();
        for (NnParser.StageContext s : ctx.stage()) {
            stages.add(new Stage(call(s.call()), s.shape() == null ? null : shape(s.shape()), span(s)));
        }
        return new Pipeline(operand(ctx.operand()), stages, span(ctx));
    }

    private static Operand operand(NnParser.OperandContext ctx) {
        if (ctx instanceof NnParser.AddOperandContext add) {
            Token plus = (Token) add.getChild(1).getPayload();
            return new AddOperand(operand(add.left), operand(add.right), span(plus), span(add));
        }
        if (ctx instanceof NnParser.ParenOperandContext paren) {
            return new ParenOperand(pipeline(paren.pipeline()), span(paren));
        }
        NnParser.CallOperandContext c = (NnParser.CallOperandContext) ctx;
        return new CallOperand(call(c.call()), span(c));
    }

    private static Call call(NnParser.CallContext ctx) {
        List<Arg> args = new ArrayList<>();
        if (ctx.argList() != null) {
            for (NnParser.ArgContext a : ctx.argList().arg()) {
                args.add(arg(a));
            }
        }
        boolean parens = ctx.getChildCount() > 1;
        return new Call(ctx.name.getText(), span(ctx.name), args, parens, span(ctx));
    }

    private static Arg arg(NnParser.ArgContext ctx) {
        return new Arg(ctx.name == null ? null : ctx.name.getText(), ctx.name == null ? Span.NONE : span(ctx.name),
                value(ctx.value()), span(ctx));
    }

    private static ShapeExpr shape(NnParser.ShapeContext ctx) {
        List<Value> dims = new ArrayList<>();
        for (NnParser.ValueContext v : ctx.value()) {
            dims.add(value(v));
        }
        return new ShapeExpr(dims, span(ctx));
    }

    // ---- values ----

    private static Value value(NnParser.ValueContext ctx) {
        Span s = span(ctx);
        if (ctx instanceof NnParser.NegValueContext neg) {
            return new NegValue(value(neg.value()), s);
        }
        if (ctx instanceof NnParser.MulValueContext mul) {
            return new BinaryValue(mul.op.getText().charAt(0), value(mul.left), value(mul.right), s);
        }
        if (ctx instanceof NnParser.AddValueContext add) {
            return new BinaryValue(add.op.getText().charAt(0), value(add.left), value(add.right), s);
        }
        if (ctx instanceof NnParser.NumberValueContext num) {
            return new NumberValue(Double.parseDouble(num.getText()), num.getText(), s);
        }
        if (ctx instanceof NnParser.StringValueContext str) {
            return new StringValue(unquote(str.getText()), s);
        }
        if (ctx instanceof NnParser.CallValueContext c) {
            return new NameValue(call(c.call()), s);
        }
        if (ctx instanceof NnParser.ListValueContext list) {
            List<Value> items = new ArrayList<>();
            for (NnParser.ValueContext v : list.value()) {
                items.add(value(v));
            }
            return new ListValue(items, s);
        }
        return value(((NnParser.ParenValueContext) ctx).value());
    }

    private static String unquote(String quoted) {
        StringBuilder out = new StringBuilder();
        for (int i = 1; i < quoted.length() - 1; i++) {
            char c = quoted.charAt(i);
            if (c == '\\' && i + 1 < quoted.length() - 1) {
                char e = quoted.charAt(++i);
                out.append(switch (e) {
                    case 'n' -> '\n';
                    case 't' -> '\t';
                    default -> e;
                });
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
