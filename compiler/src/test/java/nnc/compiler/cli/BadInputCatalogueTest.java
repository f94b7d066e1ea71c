package nnc.compiler.cli;

import static nnc.compiler.cli.BadFiles.TINY;
import static nnc.compiler.cli.BadFiles.cifarFolder;
import static nnc.compiler.cli.BadFiles.cifarProgram;
import static nnc.compiler.cli.BadFiles.csvProgram;
import static nnc.compiler.cli.BadFiles.gzip;
import static nnc.compiler.cli.BadFiles.idx;
import static nnc.compiler.cli.BadFiles.idxFolder;
import static nnc.compiler.cli.BadFiles.idxProgram;
import static nnc.compiler.cli.BadFiles.tinyWeights;
import static nnc.compiler.cli.BadFiles.withChecksum;
import static nnc.compiler.cli.BadFiles.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The catalogue of bad inputs that are not wrong programs (those are in
 * {@code compiler/src/test/resources/errors}): command lines, unreadable .nn files, data files
 * and weights files. Each case builds its files in a fresh folder ({@code {tmp}} in arguments and
 * messages), runs {@code nnc}, and pins the exit code and the words of the message with its
 * place (file:line:col, or file: byte N); no case may print a stack trace. The cases of what
 * runs a trained model (predict's inputs, checkpoints, build) are in {@link BadServingInputs}.
 */
class BadInputCatalogueTest {
    @TempDir
    Path tmp;

    record Case(String name, Consumer<Path> files, List<String> args, int exit, List<String> messages) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Case usage(String name, Consumer<Path> files, String args, String... messages) {
        return new Case(name, files, List.of(args.split(" ")), 2, List.of(messages));
    }

    static Case input(String name, Consumer<Path> files, String args, String... messages) {
        return new Case(name, files, List.of(args.split(" ")), 1, List.of(messages));
    }

    /** A model whose weights are written in it: predict needs no weights file. */
    static final String FIXED = "model F {\n    input x: [3]\n    x -> linear(1, weight: [[1, 2, 3]], bias: [0])\n}\n";

    static Consumer<Path> tiny() {
        return dir -> write(dir.resolve("tiny.nn"), TINY);
    }

    static Consumer<Path> file(String name, String text) {
        return dir -> write(dir.resolve(name), text);
    }

    static Consumer<Path> csv(String text, String loss, String last) {
        return dir -> {
            write(dir.resolve("d.csv"), text);
            write(dir.resolve("m.nn"), csvProgram("d.csv", loss, last));
        };
    }

    /** Tiny's weights file, damaged by {@code damage}. */
    static Consumer<Path> weights(Consumer<ByteBuffer> damage, boolean fixChecksum) {
        return dir -> {
            write(dir.resolve("tiny.nn"), TINY);
            byte[] b = tinyWeights();
            damage.accept(ByteBuffer.wrap(b));
            write(dir.resolve("w.nnw"), fixChecksum ? withChecksum(b) : b);
        };
    }

    /** An IDX folder with {@code file} replaced (a .gz file replaces the plain one of its name). */
    static Consumer<Path> idxFiles(String file, byte[] bytes) {
        return dir -> {
            idxFolder(dir.resolve("mnist"), 3);
            dir.resolve("mnist").resolve(file.replace(".gz", "")).toFile().delete();
            write(dir.resolve("mnist").resolve(file), bytes);
            write(dir.resolve("m.nn"), idxProgram("./mnist"));
        };
    }

    static String nested(String open, String close, int depth) {
        return "model M {\n    input x: [4]\n    x -> linear(" + open.repeat(depth) + "2" + close.repeat(depth) + ")\n}\n";
    }

    static Stream<Case> cases() {
        return Stream.concat(core(), BadServingInputs.cases());
    }

    static Stream<Case> core() {
        String predictTiny = "predict {tmp}/tiny.nn --input 1,2,3 --weights ";
        byte[] images = idx(new int[] {3, 2, 2}, new byte[12]);
        return Stream.of(
                // ---- command lines: bad numbers and words are usage errors (exit 2); a path the file
                // system does not match is an input error (exit 1), as a missing .nn file is ----
                usage("no command", d -> { }, "", "nnc: a command is required"),
                usage("unknown command", d -> { }, "frobnicate", "nnc: unknown command 'frobnicate'",
                        "= hint: run 'nnc --help' for the commands and options"),
                usage("misspelt command", d -> { }, "predcit x.nn", "nnc: unknown command 'predcit'", "Did you mean: nnc predict"),
                usage("unknown subcommand", d -> { }, "bench frob", "nnc bench: unknown command 'frob'"),
                usage("unknown option", tiny(), "summary {tmp}/tiny.nn --bach 3", "nnc summary: unknown option '--bach'",
                        "= hint: run 'nnc summary --help' for the options"),
                usage("check without a file", d -> { }, "check", "nnc check: Missing required parameter: 'FILE'"),
                usage("summary --batch -5", tiny(), "summary {tmp}/tiny.nn --batch -5",
                        "nnc summary: --batch: must be between 1 and 65536, got -5"),
                usage("summary --batch that is not a number", tiny(), "summary {tmp}/tiny.nn --batch many",
                        "nnc summary: Invalid value for option '--batch': 'many' is not an int"),
                usage("train --threads 1000", tiny(), "train {tmp}/tiny.nn --threads 1000",
                        "nnc train: --threads: must be between 1 and "),
                usage("train --epochs -1", tiny(), "train {tmp}/tiny.nn --epochs -1",
                        "nnc train: --epochs: must be between 0 and 1000000, got -1"),
                usage("train --batch 0", tiny(), "train {tmp}/tiny.nn --batch 0",
                        "nnc train: --batch: must be between 1 and 65536, got 0"),
                usage("train --limit 0", tiny(), "train {tmp}/tiny.nn --limit 0",
                        "nnc train: --limit: must be at least 1, got 0"),
                input("--weights naming a folder", tiny(), predictTiny + "{tmp}",
                        "nnc predict: --weights: {tmp} is a folder; give a file"),
                input("--weights /dev/zero", tiny(), predictTiny + "/dev/zero",
                        "nnc predict: --weights: /dev/zero is not a regular file"),
                input("--weights that does not exist", tiny(), predictTiny + "{tmp}/none.nnw",
                        "nnc predict: --weights: {tmp}/none.nnw: no such file"),
                input("--out naming a file", file("f", "x"), "train {tmp}/f --out {tmp}/f",
                        "nnc train: --out: {tmp}/f is a file, not a folder"),
                input("--out under a file", file("f", "x"), "train {tmp}/f --out {tmp}/f/run/1",
                        "nnc train: --out: {tmp}/f/run/1 cannot be created: {tmp}/f is a file"),
                input("evaluate --run naming a file", file("f", "x"), "evaluate {tmp}/f --run {tmp}/f",
                        "nnc evaluate: --run: {tmp}/f is a file, not a folder"),
                input("train --resume naming a folder that does not exist", tiny(), "train {tmp}/tiny.nn --resume {tmp}/r",
                        "nnc train: --resume: {tmp}/r: no such run folder"),
                usage("train --checkpoint-every -1", tiny(), "train {tmp}/tiny.nn --checkpoint-every -1",
                        "nnc train: --checkpoint-every: must be at least 0, got -1"),
                usage("train --checkpoint-every 0", tiny(), "train {tmp}/tiny.nn --checkpoint-every 0",
                        "nnc train: --checkpoint-every must be >= 1"),
                usage("bench conv --algorithm of an unknown name", d -> { }, "bench conv --algorithm fast",
                        "nnc bench conv: --algorithm: must be one of gemm, winograd, direct; got fast"),
                usage("bench gemm --layout of an unknown name", d -> { }, "bench gemm 4 4 4 --layout XY",
                        "nnc bench gemm: --layout: must be one of NN, NT, TN; got XY"),
                input("--data naming a folder that does not exist", tiny(), "train {tmp}/tiny.nn --data {tmp}/nope",
                        "nnc train: --data: {tmp}/nope: no such folder"),
                input("check --data naming a file", file("f", "x"), "check {tmp}/f --data {tmp}/f",
                        "nnc check: --data: {tmp}/f is a file, not a folder"),
                usage("emit --package class", tiny(), "emit {tmp}/tiny.nn -d {tmp}/out --package class",
                        "nnc emit: --package: 'class' is not a Java package name"),
                input("emit -d naming a file", file("f", "x"), "emit {tmp}/f -d {tmp}/f",
                        "nnc emit: --dir: {tmp}/f is a file, not a folder"),
                usage("bench gemm 0 x 5", d -> { }, "bench gemm 0 5 5", "nnc bench gemm: M: must be between 1 and 46340, got 0"),
                usage("--set without a value", tiny(), "summary {tmp}/tiny.nn --set lr", "--set takes NAME=VALUE"),
                usage("--dump of an unknown stage", tiny(), "summary {tmp}/tiny.nn --dump=everything",
                        "nnc summary: --dump: must be one of ast, ir, train, fused, plan; got everything"),

                input("a predict input that is NaN", file("f.nn", FIXED), "predict {tmp}/f.nn --input 1,NaN,2",
                        "nnc: --input: value 2: 'NaN' is not a finite number"),
                input("a predict input too large for a float", file("f.nn", FIXED), "predict {tmp}/f.nn --input 1,2,1e39",
                        "nnc: --input: value 3: '1e39' is too large for a float"),

                // ---- .nn files that cannot be read as one, exit 1 ----
                input("check /dev/zero", d -> { }, "check /dev/zero",
                        "/dev/zero: error: the file is larger than 8 MiB"),
                input("check a folder", d -> { }, "check {tmp}", "nnc: {tmp} is a folder; give a .nn file"),
                input("check a missing file", d -> { }, "check {tmp}/none.nn", "nnc: {tmp}/none.nn: no such file"),
                input("invalid UTF-8", d -> write(d.resolve("bad.nn"), new byte[] {'m', 'o', 'd', 'e', 'l', ' ', (byte) 0xff}),
                        "check {tmp}/bad.nn", "{tmp}/bad.nn:1:7: error: the file is not UTF-8 text: byte 0xFF at byte offset 6"),
                input("10,000 nested parentheses", file("p.nn", nested("(", ")", 10_000)), "check {tmp}/p.nn",
                        "{tmp}/p.nn:3:79: error: brackets nested deeper than 64"),
                input("10,000 nested brackets", file("p.nn", nested("[", "]", 10_000)), "check {tmp}/p.nn",
                        "{tmp}/p.nn:3:79: error: brackets nested deeper than 64"),
                input("10,000 minus signs", file("p.nn", nested("-", "", 10_000)), "check {tmp}/p.nn",
                        "{tmp}/p.nn:3:273: error: more than 256 operators and signs in one expression"),
                input("2,000 chained blocks", file("b.nn", chainedBlocks(2_000)), "check {tmp}/b.nn",
                        "{tmp}/b.nn:255:10: error: blocks nested deeper than 64: B0 -> B1 -> B2 -> ... -> B63 -> B64"),
                input("an error at column 1,000,021", file("w.nn", "model M {\n    input x: [2]\n    x -> linear(2)"
                        + " ".repeat(1_000_000) + " -> rlu\n}\n"), "check {tmp}/w.nn",
                        "{tmp}/w.nn:3:1000023: error: unknown layer 'rlu'", "| ..."),

                // ---- data files: nnc check looks at them, nnc train reads them; exit 1 ----
                input("a missing CSV", file("m.nn", csvProgram("missing.csv", "mse", "")), "check {tmp}/m.nn",
                        "{tmp}/m.nn:5:10: error: no such file: {tmp}/missing.csv", "paths are relative to the .nn file"),
                input("a CSV of the wrong width", csv("1,2,3,4\n5,6,7,8\n", "mse", ""), "check {tmp}/m.nn",
                        "{tmp}/m.nn:6:12: error: d samples are [3] (3 values) but M takes [2] (2 values)"),
                input("a NaN in a CSV", csv("x,y,t\n0.1,0.2,1\n0.3,NaN,0\n", "mse", ""), "check {tmp}/m.nn",
                        "{tmp}/m.nn:5:10: error: {tmp}/d.csv:3:5: 'NaN' is not a finite number"),
                input("a CSV value that overflows a float", csv("0.1,1e39,1\n0.3,0.4,0\n", "mse", ""),
                        "check {tmp}/m.nn", "{tmp}/d.csv:1:5: '1e39' is too large for a float"),
                input("a word in a CSV", csv("0.1,0.2,1\n0.3,abc,0\n", "mse", ""), "check {tmp}/m.nn",
                        "{tmp}/d.csv:2:5: 'abc' is not a number"),
                input("a CSV row of the wrong width", csv("0.1,0.2,1\n0.3,0\n", "mse", ""), "check {tmp}/m.nn",
                        "{tmp}/d.csv:2:1: 2 columns, but line 1 has 3"),
                input("an empty CSV value", csv("0.1,,1\n0.3,0.2,0\n", "mse", ""), "check {tmp}/m.nn",
                        "{tmp}/d.csv:1:5: an empty value; expected a number"),
                input("a CSV without rows", csv("# nothing\n", "mse", ""), "check {tmp}/m.nn",
                        "{tmp}/d.csv: no rows of numbers"),
                input("binary cross-entropy labels outside [0, 1]", csv("0.1,0.2,1\n0.3,0.4,-12\n", "binary_cross_entropy",
                        " -> sigmoid"), "check {tmp}/m.nn", "{tmp}/m.nn:7:10: error: binary_cross_entropy needs targets "
                        + "in [0, 1], but sample 2 of d has target -12.0"),
                input("cross-entropy labels that are not classes", csv("0.1,0.2,1\n0.3,0.4,0.5\n", "cross_entropy",
                        " -> linear(2)"), "check {tmp}/m.nn",
                        "error: cross_entropy needs class indices (whole numbers >= 0), but sample 2 of d has target 0.5"),
                input("a class index past 2^31 in a CSV", csv("0.1,0.2,1\n0.3,0.4,3e9\n", "cross_entropy",
                        " -> linear(2)"), "check {tmp}/m.nn",
                        "{tmp}/m.nn:7:10: error: cross_entropy needs class indices below 2, but sample 2 of d has target 3.0E9"),
                input("a CSV that is not UTF-8", d -> {
                    write(d.resolve("d.csv"), new byte[] {'1', ',', (byte) 0xC3, '\n'});
                    write(d.resolve("m.nn"), csvProgram("d.csv", "mse", ""));
                }, "check {tmp}/m.nn", "{tmp}/d.csv: the file is not UTF-8 text"),
                input("a truncated IDX file", idxFiles("train-images-idx3-ubyte", Arrays.copyOf(images, 20)),
                        "check {tmp}/m.nn", "{tmp}/m.nn:5:10: error: cannot read dataset './mnist': "
                        + "{tmp}/./mnist/train-images-idx3-ubyte: byte 20: the header promises 12 data bytes but the "
                        + "file has 4 (truncated)"),
                input("a truncated IDX file, trained", idxFiles("train-images-idx3-ubyte", Arrays.copyOf(images, 20)),
                        "train {tmp}/m.nn --out {tmp}/run", "{tmp}/./mnist/train-images-idx3-ubyte: byte 20: the file "
                        + "ends after 4 of the 12 data bytes its header promises (truncated)"),
                input("an IDX header claiming 2^31 images", idxFiles("train-labels-idx1-ubyte",
                        ByteBuffer.allocate(11).putInt(0x0801).putInt(Integer.MIN_VALUE).array()), "check {tmp}/m.nn",
                        "train-labels-idx1-ubyte: byte 4: dimension 1 is 2,147,483,648; expected 1 to 2,147,483,647"),
                input("an IDX file that is not one", idxFiles("t10k-images-idx3-ubyte", "hello, world".getBytes()),
                        "check {tmp}/m.nn", "t10k-images-idx3-ubyte: byte 0: expected an IDX magic number 00 00 08 "
                        + "RANK, found 68 65 6c 6c; not an IDX file"),
                input("an IDX of floats", idxFiles("t10k-images-idx3-ubyte", new byte[] {0, 0, 0x0d, 3}), "check {tmp}/m.nn",
                        "t10k-images-idx3-ubyte: byte 2: element type 0x0d is not supported; expected 0x08"),
                input("trailing bytes after IDX data", idxFiles("train-images-idx3-ubyte",
                        Arrays.copyOf(images, images.length + 5)), "train {tmp}/m.nn --out {tmp}/run",
                        "train-images-idx3-ubyte: byte 28: 5 bytes after the data its header describes"),
                input("labels that do not match the images", idxFiles("train-labels-idx1-ubyte",
                        idx(new int[] {2}, new byte[] {0, 1})), "train {tmp}/m.nn --out {tmp}/run",
                        "train-labels-idx1-ubyte: byte 4: 2 labels, but train-images-idx3-ubyte has 3 images"),
                input("damaged gzip", idxFiles("train-images-idx3-ubyte.gz", damage(gzip(images), 12)),
                        "train {tmp}/m.nn --out {tmp}/run", "train-images-idx3-ubyte.gz: byte ",
                        "the gzip data is damaged"),
                input("garbage after gzip", idxFiles("train-images-idx3-ubyte.gz", concat(gzip(images), "junk".getBytes())),
                        "train {tmp}/m.nn --out {tmp}/run", "train-images-idx3-ubyte.gz: byte ",
                        ": unexpected bytes after the end of the gzip data"),
                input("a truncated gzip", idxFiles("train-images-idx3-ubyte.gz", Arrays.copyOf(gzip(images), 15)),
                        "train {tmp}/m.nn --out {tmp}/run", "the gzip file ends in the middle of its compressed data"),
                input("a dataset folder missing a file", d -> {
                    idxFolder(d.resolve("mnist"), 3);
                    write(d.resolve("m.nn"), idxProgram("./mnist"));
                    d.resolve("mnist").resolve("t10k-labels-idx1-ubyte").toFile().delete();
                }, "check {tmp}/m.nn", "{tmp}/m.nn:5:10: error: the folder {tmp}/./mnist does not hold a complete "
                        + "dataset", "= hint: an IDX dataset needs train-images-idx3-ubyte"),
                input("a dataset path that does not exist", file("m.nn", idxProgram("./nothing")), "check {tmp}/m.nn",
                        "{tmp}/m.nn:5:10: error: no such folder: {tmp}/./nothing"),
                input("IDX images of the wrong size", d -> {
                    idxFolder(d.resolve("mnist"), 3);
                    write(d.resolve("m.nn"), idxProgram("./mnist").replace("[2, 2]", "[784]"));
                }, "check {tmp}/m.nn", "{tmp}/m.nn:6:12: error: d samples are [2, 2] (4 values) but M takes [784] (784 values)"),
                input("CIFAR batches of the wrong size", d -> {
                    cifarFolder(d.resolve("c"), 1, 7);
                    write(d.resolve("m.nn"), cifarProgram("./c"));
                }, "check {tmp}/m.nn", "data_batch_1.bin: byte 3073: the file has 3,080 bytes, not a whole number "
                        + "of 3,073-byte records"),
                input("a CIFAR label out of range", d -> {
                    cifarFolder(d.resolve("c"), 200, 0);
                    write(d.resolve("m.nn"), cifarProgram("./c"));
                }, "train {tmp}/m.nn --out {tmp}/run", "data_batch_1.bin: byte 0: record 1 has label 200; expected 0 to 9"),

                // ---- weights files: exit 1 ----
                input("a text file as weights", d -> {
                    write(d.resolve("tiny.nn"), TINY);
                    write(d.resolve("w.nnw"), "these are not weights");
                }, predictTiny + "{tmp}/w.nnw", "{tmp}/w.nnw: byte 0: not an nnc weights file"),
                input("weights too large for the model", d -> {
                    write(d.resolve("tiny.nn"), TINY);
                    write(d.resolve("w.nnw"), new byte[300_000]);
                }, predictTiny + "{tmp}/w.nnw", "{tmp}/w.nnw: larger than any weights file of Tiny can be"),
                input("a large checkpoint renamed to .nnw", d -> {
                    write(d.resolve("tiny.nn"), TINY);
                    java.nio.ByteBuffer ck = java.nio.ByteBuffer.allocate(300_000);
                    ck.put("NNCK".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                    write(d.resolve("w.nnw"), ck.array());
                }, predictTiny + "{tmp}/w.nnw", "{tmp}/w.nnw: a checkpoint (\"NNCK\"), not a weights file"),
                input("weights of a larger model", d -> {
                    write(d.resolve("tiny.nn"), TINY);
                    java.nio.ByteBuffer big = java.nio.ByteBuffer.allocate(300_000);
                    big.put("NNCW".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt(1).putLong(7).putShort((short) 3)
                            .put("Big".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                    write(d.resolve("w.nnw"), big.array());
                }, predictTiny + "{tmp}/w.nnw", "bytes); these are weights of model Big"),
                input("weights truncated in the header", d -> {
                    write(d.resolve("tiny.nn"), TINY);
                    write(d.resolve("w.nnw"), Arrays.copyOf(tinyWeights(), 20));
                }, predictTiny + "{tmp}/w.nnw", "{tmp}/w.nnw: byte 20: the file ends after 20 bytes, inside its header"),
                input("a weights version from the future", weights(b -> b.putInt(4, 2), false), predictTiny + "{tmp}/w.nnw",
                        "{tmp}/w.nnw: byte 4: weights format version 2 is not supported (expected 1)"),
                input("a damaged weights file", weights(b -> b.put(60, (byte) 1), false), predictTiny + "{tmp}/w.nnw",
                        "{tmp}/w.nnw: byte 104: checksum mismatch: the file is damaged or truncated"),
                input("weights of another shape", weights(b -> b.putInt(44, 3).putInt(48, 2), true),
                        predictTiny + "{tmp}/w.nnw", "{tmp}/w.nnw: byte 44: tensor 'linear_1.weight' has shape [3, 2] "
                        + "in the file but [2, 3] in Tiny"),
                input("weights of another rank", weights(b -> b.put(43, (byte) 9), true), predictTiny + "{tmp}/w.nnw",
                        "{tmp}/w.nnw: byte 43: tensor 'linear_1.weight' has rank 9 in the file but 2 in Tiny"),
                input("a weight that is NaN", weights(b -> b.putInt(52, 0x7fc00000), true), predictTiny + "{tmp}/w.nnw",
                        "{tmp}/w.nnw: byte 52: value 0 of 'linear_1.weight' is NaN; weights must be finite"),
                input("a weights tensor of another model", weights(b -> b.put(35, (byte) '9'), true),
                        predictTiny + "{tmp}/w.nnw", "{tmp}/w.nnw: byte 26: tensor 'linear_9.weight' (from model Tiny) "
                        + "does not exist in Tiny"),
                input("a weights file with a tensor too many", weights(b -> b.putInt(22, 3), true),
                        predictTiny + "{tmp}/w.nnw", "{tmp}/w.nnw: byte 22: the file has 3 tensors (model Tiny), but Tiny has 2"),
                input("a weights name that is not UTF-8", weights(b -> b.put(30, (byte) 0xff), true),
                        predictTiny + "{tmp}/w.nnw", "{tmp}/w.nnw: byte 28: a tensor name is not UTF-8 text"));
    }

    private static String chainedBlocks(int n) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < n; i++) {
            s.append("block B").append(i).append(" {\n    input x\n    x -> ").append(i < n - 1 ? "B" + (i + 1) : "relu")
                    .append("\n}\n");
        }
        return s.append("model M {\n    input x: [4]\n    x -> B0\n}\n").toString();
    }

    private static byte[] damage(byte[] b, int at) {
        b[at] ^= (byte) 0xff;
        b[at + 1] ^= (byte) 0x5a;
        return b;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /** A Java exception's name, as {@code Throwable.toString()} prints it: a message must not show one. */
    static final java.util.regex.Pattern EXCEPTION_NAME =
            java.util.regex.Pattern.compile("\\b(java|javax|nnc|picocli)\\.[\\w.]*\\.\\w*(Exception|Error)\\b");

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void eachBadInputHasItsExitCodeAndPlacedMessage(Case c) {
        c.files().accept(tmp);
        String[] args = c.args().stream().filter(a -> !a.isEmpty()).map(a -> a.replace("{tmp}", tmp.toString()))
                .toArray(String[]::new);
        CliRun r = CliRun.of(args);
        assertEquals(c.exit(), r.exit(), r::toString);
        for (String m : c.messages()) {
            assertTrue(r.err().contains(m.replace("{tmp}", tmp.toString())), () -> "expected: " + m + "\n" + r);
        }
        assertFalse(r.hasStackTrace(), r::toString);
        assertFalse(EXCEPTION_NAME.matcher(r.err()).find(), () -> "an exception's class name in the message:\n" + r);
        assertTrue(r.err().length() < 4_000, () -> "a short report, got " + r.err().length() + " characters");
    }
}
