package nnc.compiler.ir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import nnc.compiler.TestModels;
import org.junit.jupiter.api.Test;

/**
 * Op knowledge stays in the op table: no main source outside {@code ir/} (and its
 * {@code ir/ops/}) tests which op a node is — by comparing with an {@code Ops} constant, by
 * {@code instanceof} an op class, or by an op's name. Passes and code generation ask the op
 * through its hooks instead ({@link Op#inMode}, {@link Op#storage}, {@link Op#valueName}, ...).
 */
class OpTableBoundaryTest {
    static Path mainSources() {
        return TestModels.root().resolve("compiler/src/main/java/nnc/compiler");
    }

    static List<Pattern> forbidden() {
        String classes = Ops.ALL.stream().map(op -> op.getClass().getSimpleName()).distinct()
                .collect(Collectors.joining("|"));
        String names = Ops.ALL.stream().map(Op::name).distinct().collect(Collectors.joining("|"));
        return List.of(
                Pattern.compile("[=!]=\\s*Ops\\.[A-Z_]+"),
                Pattern.compile("Ops\\.[A-Z_]+\\s*[=!]="),
                Pattern.compile("instanceof\\s+(?:\\w+\\.)*(?:" + classes + ")\\b"),
                Pattern.compile("op\\(\\)\\.name\\(\\)\\s*\\.equals"),
                Pattern.compile("switch\\s*\\(\\s*[\\w.()]*op\\(\\)\\.name\\(\\)"),
                Pattern.compile("\"(?:" + names + ")\"\\.equals\\([\\w.()]*op\\(\\)"));
    }

    @Test
    void noOpIsTestedOutsideTheOpTable() throws IOException {
        List<String> found = new ArrayList<>();
        List<Pattern> patterns = forbidden();
        try (Stream<Path> files = Files.walk(mainSources())) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                String rel = mainSources().relativize(f).toString().replace('\\', '/');
                if (rel.startsWith("ir/")) {
                    continue;
                }
                List<String> lines = Files.readAllLines(f);
                for (int i = 0; i < lines.size(); i++) {
                    for (Pattern p : patterns) {
                        Matcher m = p.matcher(lines.get(i));
                        if (m.find()) {
                            found.add(rel + ":" + (i + 1) + ": " + lines.get(i).strip());
                        }
                    }
                }
            }
        }
        assertEquals(List.of(), found, "ops tested outside ir/: ask the op through a hook in ir/Op.java instead");
    }

    @Test
    void theCheckRecognisesEachKindOfTest() {
        List<Pattern> patterns = forbidden();
        for (String line : List.of("if (n.op() == Ops.DROPOUT) {", "Ops.PARAM != x.op()",
                "if (n.op() instanceof nnc.compiler.ir.ops.Conv2d c)", "n.op().name().equals(\"loss\")",
                "switch (n.op().name()) {", "\"softmax\".equals(n.op().name())")) {
            assertTrue(patterns.stream().anyMatch(p -> p.matcher(line).find()), "not caught: " + line);
        }
        assertTrue(patterns.stream().noneMatch(p -> p.matcher("b.add(Ops.SOFTMAX, null, origin, output)").find()),
                "building a node is not testing one");
    }
}
