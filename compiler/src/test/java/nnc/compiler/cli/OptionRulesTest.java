package nnc.compiler.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Every option that takes a path or a number has a rule in {@link OptionRules}; the path rules themselves. */
class OptionRulesTest {
    @TempDir
    Path tmp;

    @Test
    void everyPathAndNumberOptionOfEveryCommandHasARule() {
        List<String> missing = new ArrayList<>();
        visit(new CommandLine(new Main()), missing);
        assertEquals(List.of(), missing, "options without a rule in OptionRules.RULES");
    }

    private static void visit(CommandLine c, List<String> missing) {
        for (CommandLine.Model.OptionSpec o : c.getCommandSpec().options()) {
            Class<?> type = o.auxiliaryTypes().length > 0 && o.isMultiValue() ? o.auxiliaryTypes()[0] : o.type();
            boolean needsRule = Path.class.isAssignableFrom(type) || type.isPrimitive() && type != boolean.class
                    || Number.class.isAssignableFrom(type);
            if (needsRule && !OptionRules.RULES.containsKey(o.longestName())) {
                missing.add(c.getCommandSpec().qualifiedName() + " " + o.longestName());
            }
        }
        c.getSubcommands().values().forEach(sub -> visit(sub, missing));
    }

    @Test
    void pathRules() throws Exception {
        Path file = java.nio.file.Files.writeString(tmp.resolve("f"), "x");
        assertNull(OptionRules.inputFile(file));
        assertEquals(tmp + " is a folder; give a file", OptionRules.inputFile(tmp));
        assertNull(OptionRules.inputDir(tmp));
        assertEquals(file + " is a file, not a folder", OptionRules.inputDir(file));
        assertNull(OptionRules.outputDir(tmp.resolve("new/deeper")));
        assertEquals(file.resolve("x") + " cannot be created: " + file + " is a file",
                OptionRules.outputDir(file.resolve("x")));
        assertNull(OptionRules.outputFile(file));
        assertNull(OptionRules.outputFile(tmp.resolve("new/m.csv")));
        assertTrue(OptionRules.outputFile(tmp).endsWith("is a folder; give a file name"));
    }

    @Test
    void everyCommandPrintsTheVersion() {
        for (String cmd : new String[] {"--version", "check --version", "train -V", "bench gemm --version"}) {
            CliRun r = CliRun.of(cmd.split(" "));
            assertEquals(0, r.exit(), cmd);
            assertTrue(r.out().startsWith("nnc "), cmd + ": " + r);
        }
    }
}
