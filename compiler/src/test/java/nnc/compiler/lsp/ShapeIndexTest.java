package nnc.compiler.lsp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import nnc.compiler.diag.SourceFile;
import nnc.compiler.lsp.ShapeIndex.Instance;
import org.junit.jupiter.api.Test;

/**
 * Positions to instances: block instances are numbered as the compiler numbers them (nested
 * blocks included), and after a mistake that makes the numbering uncertain nothing is guessed.
 */
class ShapeIndexTest {
    private static final String NESTED = """
            block Inner(c) {
                input x
                x -> conv2d(c, 3, pad: same) -> relu
            }
            block Outer(c) {
                input x
                y = x -> Inner(c)
                (x + y) -> maxpool(2)
            }
            model M {
                input x: [8, 16, 16]
                x -> Outer(8) -> Outer(8) -> Inner(4) -> flatten -> linear(3)
            }
            """;

    private static List<String> at(String text, String marker, int plus) {
        Snapshot s = Snapshot.check(0, 1, new SourceFile("t.nn", text));
        return s.shapes().at(text.indexOf(marker) + plus).stream()
                .map(i -> i.path() + " " + (i.type() == null ? "-" : i.type().shapeText())).toList();
    }

    @Test
    void numbersNestedBlockInstancesAsTheCompilerDoes() {
        assertEquals(List.of("Outer_1/Inner_1 [8, 16, 16]", "Outer_2/Inner_2 [8, 8, 8]", "Inner_3 [4, 4, 4]"),
                at(NESTED, "conv2d(c", 0));
        assertEquals(List.of("Outer_1 [8, 16, 16]", "Outer_2 [8, 8, 8]"), at(NESTED, "+ y", 0));
        assertEquals(List.of("Outer_1 [8, 8, 8]"), at(NESTED, "Outer(8) -> Outer", 0));
        assertEquals(List.of("Outer_2 [8, 4, 4]"), at(NESTED, "Outer(8) -> Inner", 0));
        assertEquals(List.of("Inner_3 [4, 4, 4]"), at(NESTED, "Inner(4)", 0));
        assertEquals(List.of(" [3]"), at(NESTED, "linear(3)", 0));
    }

    @Test
    void leavesOutBlockInstancesWhoseNumberIsUncertain() {
        // 'lineer' fails to resolve: ResolveNames skips the rest of that pipeline, so the Inner
        // after it is not numbered, and which instance the later Inner call is cannot be told.
        String text = NESTED.replace("x -> Outer(8) -> Outer(8) -> Inner(4)",
                "a = x -> lineer(2) -> Inner(2)\n    x -> Outer(8) -> Outer(8) -> Inner(4)");
        assertEquals(List.of(), at(text, "Inner(2)", 0));
        assertEquals(List.of(), at(text, "Outer(8)", 0));
        assertEquals(List.of(" -"), at(text, "lineer", 0));
    }

    @Test
    void aModelNameStandsForItsOutput() {
        List<Instance> model = Snapshot.check(0, 1, new SourceFile("t.nn", NESTED)).shapes()
                .at(NESTED.indexOf("M {"));
        assertEquals(1, model.size());
        assertEquals("[3]", model.get(0).type().shapeText());
    }
}
