package nnc.compiler.diag;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import nnc.compiler.CompileResult;
import nnc.compiler.NncCompiler;
import nnc.compiler.TestModels;
import nnc.compiler.cli.CliRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The catalogue of wrong programs in {@code compiler/src/test/resources/errors}: each file
 * ends with {@code # error: LINE:COL message} lines, one per error {@code nnc check} must
 * report — that message, at that position, and no other error — and {@code nnc check} exits
 * with 1, prints each as {@code file:LINE:COL: error: message}, no stack trace and no line
 * longer than a screen. (Data files, weights files and command lines: {@code BadInputCatalogueTest}.)
 */
class ErrorCatalogueTest {
    private static final Pattern EXPECT = Pattern.compile("# error: (\\d+):(\\d+) (.*)");

    static Stream<Path> programs() throws IOException {
        try (Stream<Path> s = Files.list(TestModels.root().resolve("compiler/src/test/resources/errors"))) {
            return s.filter(p -> p.toString().endsWith(".nn")).sorted().toList().stream();
        }
    }

    @Test
    void theCatalogueHasAtLeastSeventyPrograms() throws IOException {
        assertTrue(programs().count() >= 70);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("programs")
    void reportsExactlyTheExpectedErrors(Path file) throws IOException {
        SourceFile src = SourceFile.read(file);
        List<String> expected = new ArrayList<>();
        for (String line : src.text().lines().toList()) {
            Matcher m = EXPECT.matcher(line);
            if (m.matches()) {
                expected.add(m.group(1) + ":" + m.group(2) + " " + m.group(3));
            }
        }
        assertFalse(expected.isEmpty(), file + " has no '# error:' line");
        CompileResult r = NncCompiler.check(src);
        List<String> actual = r.errors().stream().map(e -> src.lineColumn(e.span()) + " " + e.message()).toList();
        assertEquals(expected, actual, () -> "diagnostics of " + file.getFileName() + ":\n" + r.render());
        for (Diagnostic e : r.errors()) {
            String rendered = DiagnosticPrinter.render(src, e);
            assertTrue(rendered.contains("^"), "a caret under the span:\n" + rendered);
        }
        CliRun cli = CliRun.of("check", "--no-data", file.toString());
        assertEquals(1, cli.exit(), cli::toString);
        assertFalse(cli.hasStackTrace(), cli::toString);
        for (String e : expected) {
            String place = e.substring(0, e.indexOf(' '));
            assertTrue(cli.err().contains(file + ":" + place + ": error: " + e.substring(e.indexOf(' ') + 1)), cli::toString);
        }
        for (String line : cli.err().lines().toList()) {
            assertTrue(line.length() <= DiagnosticPrinter.MAX_LINE + file.toString().length() + 20
                    || line.startsWith(file.toString()), "a source line is cut around the caret: " + line.length());
        }
    }
}
