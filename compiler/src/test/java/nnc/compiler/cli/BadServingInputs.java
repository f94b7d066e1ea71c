package nnc.compiler.cli;

import static nnc.compiler.cli.BadFiles.TINY;
import static nnc.compiler.cli.BadFiles.gzip;
import static nnc.compiler.cli.BadFiles.idx;
import static nnc.compiler.cli.BadFiles.tinyWeights;
import static nnc.compiler.cli.BadFiles.withChecksum;
import static nnc.compiler.cli.BadFiles.write;
import static nnc.compiler.cli.BadInputCatalogueTest.FIXED;
import static nnc.compiler.cli.BadInputCatalogueTest.input;
import static nnc.compiler.cli.BadInputCatalogueTest.usage;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import nnc.compiler.cli.BadInputCatalogueTest.Case;

/**
 * The bad-input catalogue's cases for what runs a trained model: {@code predict} on images,
 * IDX and CSV files, weights given as checkpoints ({@code --weights X.nnck}), {@code build},
 * {@code runs}, {@code evaluate} and {@code bench infer}. {@link BadInputCatalogueTest} runs them.
 */
final class BadServingInputs {
    private BadServingInputs() {
    }

    /** A model of a 2 x 2 grey image whose weights are written in it. */
    static final String IMAGE = """
            model F {
                input x: [1, 2, 2]
                x -> flatten -> linear(2, weight: [[1, 2, 3, 4], [0, 1, 0, 1]], bias: [0, 0])
            }
            """;

    /** The image model and {@code file} holding {@code bytes}. */
    static Consumer<Path> image(String file, byte[] bytes) {
        return dir -> {
            write(dir.resolve("f.nn"), IMAGE);
            write(dir.resolve(file), bytes);
        };
    }

    /** The tabular model F (3 values) and {@code file} holding {@code text}. */
    static Consumer<Path> table(String file, String text) {
        return dir -> {
            write(dir.resolve("f.nn"), FIXED);
            write(dir.resolve(file), text);
        };
    }

    /** Tiny and a Moons checkpoint (taken after epoch 1 of samples/moons.nn), changed by {@code damage}. */
    static Consumer<Path> checkpoint(String name, Consumer<ByteBuffer> damage, boolean fixChecksum) {
        return dir -> {
            write(dir.resolve("tiny.nn"), TINY);
            byte[] b = moonsCheckpoint();
            damage.accept(ByteBuffer.wrap(b));
            write(dir.resolve(name), fixChecksum ? withChecksum(b) : b);
        };
    }

    static Stream<Case> cases() {
        String predict = "predict {tmp}/f.nn {tmp}/";
        String tiny = "predict {tmp}/tiny.nn --input 1,2,3 --weights {tmp}/";
        return Stream.of(
                // ---- predict's input files ----
                input("predict on a folder", image("x", new byte[0]), "predict {tmp}/f.nn {tmp}",
                        "nnc: {tmp} is a folder; give image, IDX or CSV files"),
                input("predict on /dev/zero", image("x", new byte[0]), "predict {tmp}/f.nn /dev/zero",
                        "nnc: /dev/zero is not a regular file"),
                input("predict on a missing file", image("x", new byte[0]), predict + "none.png",
                        "nnc: {tmp}/none.png: no such file"),
                input("a PNG header of 4 bytes", image("d.png", png(ihdr(new byte[4]), new byte[0])), predict + "d.png",
                        "nnc: {tmp}/d.png: a damaged PNG file (its IHDR chunk has 4 bytes; expected 13)"),
                input("a PNG of 60000 x 60000 pixels", image("d.png", png(header(60000, 60000, 8, 0), new byte[10])),
                        predict + "d.png", "nnc: {tmp}/d.png: a PNG image of 60000x60000 pixels; at most 67,108,864 "
                        + "pixels (8192x8192) are read"),
                input("a small PNG claiming 4000 x 4000 pixels", image("d.png", png(header(4000, 4000, 8, 0), new byte[10])),
                        predict + "d.png", "nnc: {tmp}/d.png: a damaged PNG file (", " bytes cannot hold the 4000x4000 "
                        + "pixels its header claims)"),
                input("a PNG of 0 bits a sample", image("d.png", png(header(2, 2, 0, 0), new byte[6])), predict + "d.png",
                        "nnc: {tmp}/d.png: a damaged PNG file (0 bits per sample is not allowed for color type 0)"),
                input("a PNG whose pixels are cut short", image("d.png", png(header(2, 2, 8, 0), new byte[3])),
                        predict + "d.png", "nnc: {tmp}/d.png: a damaged PNG file (3 of 6 bytes of pixels)"),
                input("a PNG chunk longer than the file", image("d.png", Arrays.copyOf(png(header(2, 2, 8, 0),
                        new byte[6]), 30)), predict + "d.png",
                        "nnc: {tmp}/d.png: a damaged PNG file (chunk IHDR at byte 8 runs past the end)"),
                input("a PNG row filter that does not exist", image("d.png", png(header(2, 2, 8, 0),
                        new byte[] {7, 0, 0, 0, 0, 0})), predict + "d.png",
                        "nnc: {tmp}/d.png: a damaged PNG file (filter 7)"),
                input("a PNG palette index out of range", image("d.png", png(header(2, 2, 8, 3), new byte[] {0, 0, 5, 0, 0, 0},
                        "PLTE", new byte[] {1, 2, 3})), predict + "d.png",
                        "nnc: {tmp}/d.png: a damaged PNG file (palette index out of range)"),
                input("a GIF of 60000 x 60000 pixels", image("d.gif", gif(60000, 60000)), predict + "d.gif",
                        "nnc: {tmp}/d.gif: a GIF image of 60000x60000 pixels"),
                input("a JPEG cut after its frame header", image("d.jpg", jpeg(60000, 60000)), predict + "d.jpg",
                        "nnc: {tmp}/d.jpg: a damaged image ("),
                input("a PGM of maximum value 0", image("d.pgm", "P2 2 2 0\n1 2 3 4\n".getBytes()), predict + "d.pgm",
                        "nnc: {tmp}/d.pgm: a damaged PGM/PPM header (maximum value 0; expected 1 to 65535)"),
                input("a PGM shorter than its pixels", image("d.pgm", "P5 4 4 255\n123".getBytes()), predict + "d.pgm",
                        "nnc: {tmp}/d.pgm: a PGM/PPM file shorter than its 4x4 pixels"),
                input("an image for a tabular model", d -> {
                    write(d.resolve("f.nn"), FIXED);
                    write(d.resolve("d.png"), png(header(2, 2, 8, 0), new byte[6]));
                }, predict + "d.png", "nnc: {tmp}/d.png: an image, but F does not take images (its input is [3]; "
                        + "give CSV rows or an IDX file)"),
                input("a NaN in a predict CSV", table("x.csv", "a,b,c\n1,NaN,3\n"), predict + "x.csv",
                        "nnc: {tmp}/x.csv:2: column 2: 'NaN' is not a finite number"),
                input("a hex float in a predict CSV", table("x.csv", "1,2,0x1p3\n"), predict + "x.csv",
                        "nnc: {tmp}/x.csv:1: column 3: '0x1p3' is not a number"),
                input("a predict CSV value too large for a float", table("x.csv", "1,2e39,3\n"), predict + "x.csv",
                        "nnc: {tmp}/x.csv:1: column 2: '2e39' is too large for a float"),
                input("a predict CSV row of the wrong width", table("x.csv", "1,2\n"), predict + "x.csv",
                        "nnc: {tmp}/x.csv:1: 2 values, but F takes 3 (shape [3])"),
                input("a predict input of words", table("x.txt", "hello, world\nhow are you\n"), predict + "x.txt",
                        "nnc: {tmp}/x.txt:2: not a row of numbers ('how are you'); inputs are images, IDX files or CSV rows"),
                input("a predict input that is not UTF-8", d -> {
                    write(d.resolve("f.nn"), FIXED);
                    write(d.resolve("x.csv"), new byte[] {'1', ',', (byte) 0xC3, '\n'});
                }, predict + "x.csv", "nnc: {tmp}/x.csv: not an image, an IDX file or CSV text (it is not UTF-8)"),
                input("IDX items of the wrong size", image("x-idx3-ubyte", idx(new int[] {2, 3, 3}, new byte[18])),
                        predict + "x-idx3-ubyte", "nnc: {tmp}/x-idx3-ubyte: IDX items of shape [3, 3] (9 values) do not "
                        + "fit F, which takes [1, 2, 2] (4 values)"),
                input("an IDX input whose header promises 1 GB", image("x-idx3-ubyte", idx(new int[] {250_000_000, 2, 2},
                        new byte[4])), predict + "x-idx3-ubyte", "nnc: {tmp}/x-idx3-ubyte: byte 20: the file ends after 4 "
                        + "of the 1,000,000,000 data bytes its header promises (truncated)"),
                input("a damaged gzipped IDX input", image("x.gz", damaged(gzip(idx(new int[] {2, 2, 2}, new byte[8])))),
                        predict + "x.gz", "nnc: {tmp}/x.gz: byte ", "the gzip data is damaged"),
                usage("predict --top 0", table("x.csv", "1,2,3\n"), predict + "x.csv --top 0",
                        "nnc predict: --top: must be between 1 and 1000000, got 0"),
                usage("predict --format xml", table("x.csv", "1,2,3\n"), predict + "x.csv --format xml",
                        "nnc predict: --format must be text, json or csv, got 'xml'"),
                input("predict --input of the wrong length", table("x.csv", ""), "predict {tmp}/f.nn --input 1,2",
                        "nnc: --input: 2 values, but F takes 3 (shape [3])"),
                input("predict --input of words", table("x.csv", ""), "predict {tmp}/f.nn --input a,b,c",
                        "nnc: --input: not a row of numbers ('a,b,c'); --input takes numbers separated by commas"),
                usage("predict on files and --input", table("x.csv", "1,2,3\n"), predict + "x.csv --input 1,2,3",
                        "nnc predict: give input files or --input values (one of the two)"),
                usage("predict --run and --weights", table("x.csv", "1,2,3\n"), predict + "x.csv --run {tmp} --weights "
                        + "{tmp}/x.csv", "nnc predict: give --run or --weights, not both"),
                input("predict without weights", d -> write(d.resolve("tiny.nn"), TINY), "predict {tmp}/tiny.nn --input 1,2,3",
                        "nnc: Tiny has weights that are neither fixed in {tmp}/tiny.nn nor trained (no runs next to it)"),

                // ---- checkpoints as weights (--weights X.nnck) ----
                input("a checkpoint of another model", checkpoint("ck.nnck", b -> { }, false), tiny + "ck.nnck",
                        "nnc: {tmp}/ck.nnck: this is a checkpoint of model Moons, not of Tiny"),
                input("a truncated checkpoint", d -> {
                    write(d.resolve("tiny.nn"), TINY);
                    write(d.resolve("ck.nnck"), Arrays.copyOf(moonsCheckpoint(), 5000));
                }, tiny + "ck.nnck", "nnc: {tmp}/ck.nnck: checksum mismatch; the checkpoint is damaged"),
                input("a checkpoint count out of range", checkpoint("ck.nnck", b -> b.putInt(99, Integer.MAX_VALUE), true),
                        tiny + "ck.nnck --force", "nnc: {tmp}/ck.nnck: byte 99: the checkpoint's content is inconsistent"),
                input("a checkpoint named as weights", checkpoint("w.nnw", b -> { }, false), tiny + "w.nnw",
                        "{tmp}/w.nnw: byte 0: not an nnc weights file (it does not start with \"NNCW\"); it is a "
                        + "checkpoint (\"NNCK\")", "= hint: nnc's commands read a checkpoint when its name ends in .nnck"),
                input("weights named as a checkpoint", d -> {
                    write(d.resolve("tiny.nn"), TINY);
                    write(d.resolve("w.nnck"), tinyWeights());
                }, tiny + "w.nnck", "nnc: {tmp}/w.nnck: not an nnc checkpoint (bad magic)"),

                // ---- build, runs, evaluate, bench infer ----
                input("build -o naming a folder", d -> write(d.resolve("f.nn"), IMAGE), "build {tmp}/f.nn -o {tmp}",
                        "nnc build: --output: {tmp} is a folder; give a file name"),
                input("build -o under a file", d -> write(d.resolve("f.nn"), IMAGE), "build {tmp}/f.nn -o {tmp}/f.nn/m.jar",
                        "nnc build: --output: {tmp}/f.nn/m.jar cannot be created: {tmp}/f.nn is a file"),
                input("build -o naming its own .nn file", d -> write(d.resolve("f.nn"), IMAGE), "build {tmp}/f.nn -o {tmp}/f.nn",
                        "nnc build: --output: {tmp}/f.nn exists and is not a model jar; a model jar nnc built is replaced, any other file is kept"),
                input("build -o naming the weights it reads", d -> {
                    write(d.resolve("tiny.nn"), TINY);
                    write(d.resolve("w.nnw"), tinyWeights());
                }, "build {tmp}/tiny.nn -o {tmp}/w.nnw --weights {tmp}/w.nnw", "nnc build: --output: {tmp}/w.nnw exists and "
                        + "is not a model jar"),
                input("build -o naming a zip that is not a model jar", d -> {
                    write(d.resolve("f.nn"), IMAGE);
                    write(d.resolve("photos.zip"), zipOfOneFile());
                }, "build {tmp}/f.nn -o {tmp}/photos.zip", "nnc build: --output: {tmp}/photos.zip exists and is not a model jar"),
                input("plot --out naming a folder", d -> write(d.resolve("f.nn"), IMAGE), "plot --out {tmp} {tmp}",
                        "nnc plot: --out: {tmp} is a folder; give a file name"),
                usage("build --package class", d -> write(d.resolve("f.nn"), IMAGE),
                        "build {tmp}/f.nn -o {tmp}/m.jar --package class", "nnc build: --package: 'class' is not a Java package name"),
                input("build without weights", d -> write(d.resolve("tiny.nn"), TINY), "build {tmp}/tiny.nn -o {tmp}/m.jar",
                        "nnc: Tiny has weights that are neither fixed in {tmp}/tiny.nn nor trained"),
                input("build with weights of another model", d -> {
                    write(d.resolve("f.nn"), IMAGE);
                    write(d.resolve("w.nnw"), tinyWeights());
                }, "build {tmp}/f.nn -o {tmp}/m.jar --weights {tmp}/w.nnw", "{tmp}/w.nnw: these are weights of model Tiny, "
                        + "not of F", "= hint: --force loads them anyway"),
                input("runs of a missing file", d -> { }, "runs {tmp}/none.nn", "nnc: {tmp}/none.nn: no such file"),
                input("runs of a folder", d -> { }, "runs {tmp}", "nnc: {tmp} is a folder; give a .nn file"),
                input("evaluate a model without training", d -> write(d.resolve("f.nn"), IMAGE), "evaluate {tmp}/f.nn",
                        "nnc: {tmp}/f.nn has no train declaration for F"),
                usage("evaluate --limit 0", d -> write(d.resolve("f.nn"), IMAGE), "evaluate {tmp}/f.nn --limit 0",
                        "nnc evaluate: --limit: must be at least 1, got 0"),
                input("train --batch whose arena does not fit", d -> {
                    BadFiles.idxFolder(d.resolve("mnist"), 3);
                    write(d.resolve("m.nn"), BadFiles.program("[2, 2]", "flatten -> linear(600000) -> relu -> linear(2)",
                            "idx(\"./mnist\")", "cross_entropy"));
                }, "train {tmp}/m.nn --batch 65536 --out {tmp}/run", "nnc: the training arena for a batch of 65,536 needs ",
                        "more than one Java array holds (2,147,483,639); the largest batch that fits is ",
                        "= hint: use a smaller batch (--batch)"),
                usage("bench infer --seconds 0", d -> write(d.resolve("f.nn"), IMAGE), "bench infer {tmp}/f.nn --seconds 0",
                        "nnc bench infer: --seconds: must be more than 0 and at most 3600, got 0.0"),
                input("bench infer --images that is not there", d -> write(d.resolve("f.nn"), IMAGE),
                        "bench infer {tmp}/f.nn --images {tmp}/none.idx",
                        "nnc bench infer: --images: {tmp}/none.idx: no such file"),
                input("bench infer --images that is not an IDX file", image("x.idx", "not idx".getBytes()),
                        "bench infer {tmp}/f.nn --images {tmp}/x.idx",
                        "nnc bench infer: --images: {tmp}/x.idx: byte 0: expected an IDX magic number"),
                input("bench infer --images of another size", image("x.idx", BadFiles.idx(new int[] {2, 3, 3}, new byte[18])),
                        "bench infer {tmp}/f.nn --images {tmp}/x.idx",
                        "nnc bench infer: --images {tmp}/x.idx: IDX items of shape [3, 3] (9 values) do not fit the model's input of 4 values"),
                input("bench infer --images that is a folder", d -> {
                    write(d.resolve("f.nn"), IMAGE);
                    write(d.resolve("images/x"), "");
                }, "bench infer {tmp}/f.nn --images {tmp}/images", "nnc bench infer: --images: {tmp}/images is a folder"),
                input("bench infer --images whose header promises 1 GB", image("x.idx", idx(new int[] {250_000_000, 2, 2},
                        new byte[4])), "bench infer {tmp}/f.nn --images {tmp}/x.idx",
                        "nnc bench infer: --images: {tmp}/x.idx: byte ", "the file ends after 4"),
                input("bench infer --images of labels", image("x.idx", BadFiles.idx(new int[] {5}, new byte[5])),
                        "bench infer {tmp}/f.nn --images {tmp}/x.idx",
                        "nnc bench infer: --images {tmp}/x.idx: IDX items of shape [5] (5 values) do not fit the model's input of 4 values"));
    }

    /** A Moons checkpoint: the checkpoint fuzz target's seed without the byte the fuzzer consumes. */
    static byte[] moonsCheckpoint() {
        try (var in = BadServingInputs.class.getResourceAsStream(
                "/nnc/compiler/fuzz/WeightsFuzzTestInputs/checkpoint/seed-moons-epoch-1")) {
            byte[] b = in.readAllBytes();
            return Arrays.copyOf(b, b.length - 1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A PNG file of the IHDR chunk {@code ihdr}, the compressed {@code rows}, and more chunks (type, data, ...). */
    static byte[] png(byte[] ihdr, byte[] rows, Object... more) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
        out.writeBytes(ihdr);
        for (int i = 0; i < more.length; i += 2) {
            out.writeBytes(chunk((String) more[i], (byte[]) more[i + 1]));
        }
        Deflater d = new Deflater();
        d.setInput(rows);
        d.finish();
        byte[] z = new byte[rows.length + 64];
        out.writeBytes(chunk("IDAT", Arrays.copyOf(z, d.deflate(z))));
        out.writeBytes(chunk("IEND", new byte[0]));
        return out.toByteArray();
    }

    static byte[] header(int width, int height, int depth, int colorType) {
        return ihdr(ByteBuffer.allocate(13).putInt(width).putInt(height).put((byte) depth).put((byte) colorType).array());
    }

    static byte[] ihdr(byte[] data) {
        return chunk("IHDR", data);
    }

    static byte[] chunk(String type, byte[] data) {
        CRC32 crc = new CRC32();
        crc.update(type.getBytes());
        crc.update(data);
        return ByteBuffer.allocate(12 + data.length).putInt(data.length).put(type.getBytes()).put(data)
                .putInt((int) crc.getValue()).array();
    }

    /** A GIF whose screen and image claim {@code w x h} pixels, with one byte of image data. */
    static byte[] gif(int w, int h) {
        ByteBuffer b = ByteBuffer.allocate(32).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.put("GIF89a".getBytes()).putShort((short) w).putShort((short) h).put(new byte[] {0, 0, 0});
        b.put((byte) ',').putShort((short) 0).putShort((short) 0).putShort((short) w).putShort((short) h).put((byte) 0);
        b.put(new byte[] {2, 2, 0x44, 1, 0, ';'});
        return Arrays.copyOf(b.array(), b.position());
    }

    /** A JPEG of a start marker and a frame header claiming {@code w x h}, then its end. */
    static byte[] jpeg(int w, int h) {
        return ByteBuffer.allocate(21).put(new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xC0, 0, 11, 8})
                .putShort((short) h).putShort((short) w).put(new byte[] {1, 1, 0x11, 0, (byte) 0xFF, (byte) 0xD9}).array();
    }

    /** A zip holding one text file: someone's archive, not a model jar. */
    static byte[] zipOfOneFile() {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (java.util.zip.ZipOutputStream zip = new java.util.zip.ZipOutputStream(bytes)) {
            zip.putNextEntry(new java.util.zip.ZipEntry("a.txt"));
            zip.write("holiday".getBytes(java.nio.charset.StandardCharsets.UTF_8));
            zip.closeEntry();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static byte[] damaged(byte[] gz) {
        gz[12] ^= (byte) 0xff;
        gz[13] ^= (byte) 0x5a;
        return gz;
    }
}
