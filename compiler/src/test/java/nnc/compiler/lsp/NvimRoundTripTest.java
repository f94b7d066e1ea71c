package nnc.compiler.lsp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import nnc.compiler.TestModels;
import nnc.compiler.cli.Main;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real editor against {@code nnc lsp}: headless Neovim (its built-in LSP client, set up by
 * editors/nvim/nnc.lua) opens a sample with a shape error, and must show the diagnostic
 * {@code nnc check} prints at the same line and columns, hover the shape of a layer before the
 * error, jump to a block's definition, complete layer names, and clear the diagnostic after an
 * edit that fixes the error. Skipped, with the reason printed, when {@code nvim} is not
 * installed ({@code .ci/run} installs it).
 */
class NvimRoundTripTest {
    private static final Pattern CHECK_LINE = Pattern.compile("^(.+):(\\d+):(\\d+): error: (.+)$", Pattern.MULTILINE);
    private static final Pattern CARET = Pattern.compile("^ +\\| +(\\^~*)$", Pattern.MULTILINE);

    @Test
    void neovimShowsCheckSDiagnosticHoversJumpsCompletesAndClears(@TempDir Path tmp) throws Exception {
        Path nvim = onPath("nvim");
        if (nvim == null) {
            System.out.println("NvimRoundTripTest skipped: nvim is not on PATH (apt-get install neovim)");
            Assumptions.abort("nvim is not on PATH (apt-get install neovim)");
        }
        Path root = TestModels.root();
        String sample = Files.readString(root.resolve("samples/fashion_cnn_bn.nn"));
        String broken = sample.replace("-> flatten ", "");
        Path file = tmp.resolve("shape_error.nn");
        Files.writeString(file, broken);

        // What ./nnc check prints for the file: position, message and caret.
        String check = runCheck(file);
        Matcher m = CHECK_LINE.matcher(check);
        Matcher caret = CARET.matcher(check);
        assertTrue(m.find() && caret.find(), check);
        int line = Integer.parseInt(m.group(2)) - 1;
        int col = Integer.parseInt(m.group(3)) - 1;
        String message = m.group(4);
        int width = caret.group(1).length();

        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = List.of(java, "--add-modules", "jdk.incubator.vector", "-cp",
                System.getProperty("java.class.path"), Main.class.getName(), "lsp");
        JsonObject params = new JsonObject();
        params.add("cmd", strings(cmd));
        params.addProperty("snippet", root.resolve("editors/nvim/nnc.lua").toString());
        params.addProperty("file", file.toString());
        params.addProperty("out", tmp.resolve("out.json").toString());
        params.addProperty("timeout", 30_000);
        params.add("hover", position(broken, "maxpool(2)                    :", 1));
        params.add("definition", position(broken, "ConvBn(64)", 2));
        params.add("completion", position(broken, "batchnorm -> relu -> dropout", 0));
        JsonObject fix = position(broken, "-> linear(128)", 0);
        JsonObject edit = new JsonObject();
        edit.addProperty("line", fix.get("line").getAsInt());
        edit.addProperty("col", fix.get("character").getAsInt());
        edit.addProperty("text", "-> flatten ");
        params.add("fix", edit);

        ProcessBuilder pb = new ProcessBuilder(nvim.toString(), "--headless", "--clean", "-u", "NONE", "-c",
                "luafile " + root.resolve("compiler/src/test/resources/nvim/roundtrip.lua"));
        Map<String, String> env = pb.environment();
        env.put("NNC_TEST", params.toString());
        for (String xdg : List.of("XDG_CACHE_HOME", "XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME")) {
            env.put(xdg, tmp.resolve(xdg.toLowerCase()).toString());
        }
        pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        pb.redirectErrorStream(true);
        pb.redirectOutput(tmp.resolve("nvim.log").toFile());
        long started = System.nanoTime();
        Process p = pb.start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("nvim did not finish in 120 s:\n" + Files.readString(tmp.resolve("nvim.log")));
        }
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        Path outFile = tmp.resolve("out.json");
        assertTrue(Files.exists(outFile), () -> "nvim wrote nothing:\n" + log(tmp));
        JsonObject out = JsonParser.parseString(Files.readString(outFile)).getAsJsonObject();
        assertTrue(out.get("ok").getAsBoolean(), () -> out + "\n" + log(tmp));
        assertEquals("nn", out.get("filetype").getAsString());

        JsonArray diags = out.getAsJsonArray("diagnostics");
        assertEquals(1, diags.size(), out::toString);
        JsonObject d = diags.get(0).getAsJsonObject();
        assertEquals(message, d.get("message").getAsString().lines().findFirst().orElseThrow());
        assertEquals(List.of(line, col, line, col + width), List.of(d.get("lnum").getAsInt(), d.get("col").getAsInt(),
                d.get("end_lnum").getAsInt(), d.get("end_col").getAsInt()));

        String hover = out.getAsJsonObject("hover").getAsJsonObject("result").getAsJsonObject("contents")
                .get("value").getAsString();
        assertTrue(hover.contains("**maxpool_2** → `[64, 7, 7]`"), hover);

        JsonObject target = out.getAsJsonObject("definition").getAsJsonArray("result").get(0).getAsJsonObject()
                .getAsJsonObject("range").getAsJsonObject("start");
        assertEquals(position(broken, "ConvBn(c)", 0), target);

        List<String> labels = new ArrayList<>();
        for (JsonElement item : out.getAsJsonObject("completion").getAsJsonObject("result").getAsJsonArray("items")) {
            labels.add(item.getAsJsonObject().get("label").getAsString());
        }
        assertTrue(labels.containsAll(List.of("linear", "conv2d", "relu", "batchnorm", "ConvBn")), labels::toString);

        assertTrue(out.get("cleared").getAsBoolean(), () -> "diagnostics after the fix: " + out.get("after_fix"));
        assertEquals(0, out.getAsJsonArray("after_fix").size());
        System.out.printf("nvim round trip: %d ms in all, first diagnostics %.0f ms after opening (JVM start included);"
                + " %s at %d:%d-%d '%s'%n", millis, out.get("first_diagnostics_ms").getAsDouble(), file.getFileName(),
                line + 1, col + 1, col + 1 + width, message);
    }

    private static String log(Path tmp) {
        try {
            return Files.readString(tmp.resolve("nvim.log"));
        } catch (java.io.IOException e) {
            return "(no log)";
        }
    }

    /** {@code nnc check FILE} in process: what it prints on standard error. */
    private static String runCheck(Path file) {
        PrintStream old = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            assertEquals(Main.INPUT_ERROR, Main.run("check", file.toString()));
        } finally {
            System.setErr(old);
        }
        return err.toString(StandardCharsets.UTF_8);
    }

    private static JsonObject position(String text, String marker, int plus) {
        int offset = text.indexOf(marker) + plus;
        assertTrue(offset >= plus, marker);
        nnc.compiler.diag.SourceFile s = new nnc.compiler.diag.SourceFile("", text);
        JsonObject p = new JsonObject();
        p.addProperty("line", s.line(offset) - 1);
        p.addProperty("character", s.column(offset) - 1);
        return p;
    }

    private static JsonArray strings(List<String> list) {
        JsonArray a = new JsonArray();
        list.forEach(a::add);
        return a;
    }

    static Path onPath(String program) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path p = Path.of(dir, program);
            if (!dir.isEmpty() && Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }
}
