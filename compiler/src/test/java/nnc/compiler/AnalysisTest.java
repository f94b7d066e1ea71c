package nnc.compiler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import nnc.compiler.diag.SourceFile;
import nnc.compiler.ir.Graph;
import nnc.compiler.ir.Network;
import org.junit.jupiter.api.Test;

/** {@link CompileResult#analysis()}: what check() knows for editors, errors or not. */
class AnalysisTest {
    private static List<String> shapes(CompileResult r, int model) {
        Network n = r.analysis().models().get(model).network();
        Graph g = n.graph();
        return n.layers().stream().map(l -> l.qualifiedName() + " " + g.type(l.output()).shapeText()).toList();
    }

    @Test
    void keepsTheShapesBeforeAShapeErrorWithTheSameDiagnosticsAsCheck() {
        String text = """
                block Conv(c) {
                    input x
                    x -> conv2d(c, 3) -> relu
                }
                model M {
                    input x: [1, 28, 28]
                    x -> Conv(8) -> maxpool(2) -> linear(10)
                }
                """;
        CompileResult r = NncCompiler.check(new SourceFile("m.nn", text));
        assertEquals(1, r.errors().size());
        assertEquals("linear expects a flat input [features], got [8, 13, 13]", r.errors().get(0).message());
        assertEquals(List.of("Conv_1/conv2d_1 [8, 26, 26]", "Conv_1/relu_1 [8, 26, 26]", "maxpool_1 [8, 13, 13]"),
                shapes(r, 0));
        assertEquals(-1, r.analysis().models().get(0).network().graph().output());
        assertEquals("M", r.analysis().models().get(0).model().name());
    }

    @Test
    void keepsTheStatementsThatResolvedAroundAnUnknownLayer() {
        CompileResult r = NncCompiler.check(new SourceFile("m.nn", """
                model M {
                    input x: [4]
                    a = x -> linear(3)
                    b = x -> lineer(2)
                    a -> relu
                }
                """));
        assertEquals("unknown layer 'lineer'", r.errors().get(0).message());
        assertEquals(1, r.errors().size());
        assertEquals(List.of("linear_1 [3]", "relu_1 [3]"), shapes(r, 0));
        assertFalse(r.analysis().models().get(0).layers().nodes().isEmpty());
    }

    @Test
    void isAbsentWhenTheTextDoesNotParseAndFromCompile() {
        assertNull(NncCompiler.check(new SourceFile("m.nn", "model M {\n x -> (\n}\n")).analysis());
        assertNull(NncCompiler.compile("m.nn", "model M {\n input x: [2]\n x -> relu\n}\n",
                NncCompiler.Options.defaults().goal(NncCompiler.Goal.ANALYZE)).analysis());
    }
}
