package nnc.compiler.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The help texts read well: the command list shows each command's first description line, so
 * that line is a whole sentence; hand-wrapped description lines fit the help width (picocli
 * would wrap them again, leaving a word on a line of its own); and no line of any command's
 * help is broken inside a path or a parenthesis ("(runs/MODEL/" + "next", "nnc." + "generated").
 */
class HelpTextTest {
    /** Every visible command, nnc itself first. */
    private static List<CommandLine> commands() {
        List<CommandLine> all = new ArrayList<>();
        collect(new CommandLine(new Main()), all);
        return all;
    }

    private static void collect(CommandLine c, List<CommandLine> all) {
        all.add(c);
        c.getSubcommands().values().stream().distinct()
                .filter(s -> !s.getCommandSpec().usageMessage().hidden())
                .forEach(s -> collect(s, all));
    }

    @Test
    void theCommandListShowsEachSummaryAsAWholeSentence() {
        CliRun r = CliRun.of("--help");
        assertEquals(0, r.exit(), r::toString);
        List<String> entries = new ArrayList<>();
        boolean inList = false;
        for (String line : r.out().lines().toList()) {
            if (line.equals("Commands:")) {
                inList = true;
            } else if (inList && line.isBlank()) {
                break;
            } else if (inList && line.matches("  \\S.*")) {
                entries.add(line.strip());
            } else if (inList) {
                entries.set(entries.size() - 1, entries.get(entries.size() - 1) + " " + line.strip());
            }
        }
        assertTrue(entries.size() >= 10, r::toString);
        for (String e : entries) {
            assertTrue(e.endsWith(".") || e.endsWith(")"), () -> "ends mid-sentence in 'nnc --help': " + e);
        }
    }

    @Test
    void everyCommandsFirstLineIsASentenceAndNoLineIsWrappedAgain() {
        for (CommandLine c : commands()) {
            String name = c.getCommandSpec().qualifiedName();
            String[] description = c.getCommandSpec().usageMessage().description();
            assertTrue(description.length > 0, name);
            assertTrue(description[0].endsWith("."), () -> name + ": the summary is not a sentence: " + description[0]);
            List<String> shown = c.getUsageMessage().lines().toList();
            for (String line : description) {
                assertTrue(shown.contains(line), () -> name + ": this line is wrapped again by picocli (too long): "
                        + line + "\n" + c.getUsageMessage());
            }
        }
    }

    @Test
    void noHelpLineIsBrokenInsideAPathOrAParenthesis() {
        for (CommandLine c : commands()) {
            List<String> lines = c.getUsageMessage().lines().toList();
            for (int i = 0; i + 1 < lines.size(); i++) {
                String line = lines.get(i).stripTrailing();
                String next = lines.get(i + 1).strip();
                int open = line.length() - line.replace("(", "").length() - (line.length() - line.replace(")", "").length());
                boolean insideToken = line.endsWith("/") || line.endsWith("[,")
                        || open > 0 && line.matches(".*\\S\\.") && next.matches("[a-z].*") // nnc. / generated
                        || line.matches(".*\\S:") && next.matches("[0-9/].*"); // host: / 7077
                String at = c.getCommandSpec().qualifiedName() + ": '" + line + "' / '" + next + "'";
                assertTrue(!insideToken, () -> "broken inside a path or a parenthesis: " + at);
            }
        }
    }
}
