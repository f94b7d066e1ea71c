package nnc.compiler.lsp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import nnc.compiler.TestModels;
import nnc.compiler.layers.Layers;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The editor files in editors/: the VS Code grammar test (node --test, when node and the
 * extension's npm packages are installed; .ci/run installs them), and the layer names both
 * syntax files highlight, which must be the compiler's vocabulary.
 */
class EditorFilesTest {
    private static final Path ROOT = TestModels.root();

    @Test
    void vscodeGrammarTestPasses() throws Exception {
        Path vscode = ROOT.resolve("editors/vscode");
        Path node = NvimRoundTripTest.onPath("node");
        String missing = node == null ? "node is not on PATH"
                : !Files.isDirectory(vscode.resolve("node_modules/vscode-textmate"))
                ? "the extension's npm packages are not installed (editors/vscode/build.sh or npm ci there)" : null;
        if (missing != null) {
            System.out.println("EditorFilesTest.vscodeGrammarTestPasses skipped: " + missing);
            Assumptions.abort(missing);
        }
        Path log = Files.createTempFile("nnc-grammar-test", ".log");
        Process p = new ProcessBuilder(node.toString(), "--test", "test/").directory(vscode.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "node --test did not finish in 120 s");
        String out = Files.readString(log);
        Files.delete(log);
        assertEquals(0, p.exitValue(), out);
        Matcher pass = Pattern.compile("^# pass (\\d+)$", Pattern.MULTILINE).matcher(out);
        assertTrue(pass.find() && Integer.parseInt(pass.group(1)) >= 3, out);
        System.out.println("vscode grammar test: " + out.lines().filter(l -> l.startsWith("# ")).toList());
    }

    @Test
    void syntaxFilesHighlightExactlyTheCompilersLayers() throws Exception {
        Set<String> layers = new TreeSet<>(Layers.names());
        String tm = Files.readString(ROOT.resolve("editors/vscode/syntaxes/nn.tmLanguage.json"));
        Matcher m = Pattern.compile("\"match\": \"\\\\\\\\b\\(([a-z_0-9|]+)\\)\\\\\\\\b\",\\s*\"name\": \"support\\.function\\.layer")
                .matcher(tm);
        assertTrue(m.find(), "no layer rule in nn.tmLanguage.json");
        assertEquals(layers, new TreeSet<>(List.of(m.group(1).split("\\|"))), "editors/vscode/syntaxes/nn.tmLanguage.json");
        Set<String> vim = new TreeSet<>();
        for (String line : Files.readAllLines(ROOT.resolve("editors/nvim/syntax/nn.vim"))) {
            if (line.startsWith("syntax keyword nnLayer ")) {
                vim.addAll(List.of(line.substring("syntax keyword nnLayer ".length()).trim().split("\\s+")));
            }
        }
        assertEquals(layers, vim, "editors/nvim/syntax/nn.vim");
    }
}
