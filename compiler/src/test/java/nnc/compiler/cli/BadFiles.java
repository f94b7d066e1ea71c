package nnc.compiler.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32;
import java.util.zip.GZIPOutputStream;
import nnc.compiler.NncCompiler;

/** Builders of the files the bad-input catalogue feeds nnc: programs, IDX, CIFAR and weights files. */
final class BadFiles {
    private BadFiles() {
    }

    /** A model of 3 inputs and 2 outputs with nothing to train: weights come from --weights. */
    static final String TINY = """
            model Tiny {
                input x: [3]
                x -> linear(2)
            }
            """;

    static Path write(Path file, String text) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            return Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path write(Path file, byte[] bytes) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            return Files.write(file, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An IDX file of unsigned bytes: magic, the dimensions, then {@code data}. */
    static byte[] idx(int[] dims, byte[] data) {
        ByteBuffer b = ByteBuffer.allocate(4 + 4 * dims.length + data.length);
        b.putInt(0x0800 | dims.length);
        for (int d : dims) {
            b.putInt(d);
        }
        return b.put(data).array();
    }

    static byte[] gzip(byte[] data) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (GZIPOutputStream z = new GZIPOutputStream(out)) {
                z.write(data);
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A complete MNIST-layout folder of {@code n} 2 x 2 images per split; files may be replaced after. */
    static Path idxFolder(Path dir, int n) {
        byte[] images = new byte[n * 4];
        byte[] labels = new byte[n];
        for (int i = 0; i < n; i++) {
            labels[i] = (byte) (i % 2);
            images[4 * i] = (byte) (40 * i);
        }
        write(dir.resolve("train-images-idx3-ubyte"), idx(new int[] {n, 2, 2}, images));
        write(dir.resolve("train-labels-idx1-ubyte"), idx(new int[] {n}, labels));
        write(dir.resolve("t10k-images-idx3-ubyte"), idx(new int[] {n, 2, 2}, images));
        write(dir.resolve("t10k-labels-idx1-ubyte"), idx(new int[] {n}, labels));
        return dir;
    }

    /** A program training a model on {@code input} with {@code layers} on the data {@code source}. */
    static String program(String input, String layers, String source, String loss) {
        return """
                model M {
                    input x: %s
                    x -> %s
                }
                data d = %s
                train M on d {
                    loss %s
                    epochs 1
                }
                """.formatted(input, layers, source, loss);
    }

    /** A program training a [2, 2]-image classifier on the IDX folder {@code folder}. */
    static String idxProgram(String folder) {
        return program("[2, 2]", "flatten -> linear(2)", "idx(\"" + folder + "\")", "cross_entropy");
    }

    /** CIFAR-10 batches of one record each, with {@code label}. */
    static Path cifarFolder(Path dir, int label, int extraBytes) {
        byte[] record = new byte[3073 + extraBytes];
        record[0] = (byte) label;
        for (String f : new String[] {"data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin", "data_batch_4.bin",
            "data_batch_5.bin", "test_batch.bin"}) {
            write(dir.resolve(f), record);
        }
        return dir;
    }

    /** A program training on CIFAR-10 batches in {@code folder}. */
    static String cifarProgram(String folder) {
        return program("[3, 32, 32]", "flatten -> linear(10)", "cifar(\"" + folder + "\")", "cross_entropy");
    }

    /** A program training {@code loss} on a CSV file of two features; {@code last} ends the model. */
    static String csvProgram(String file, String loss, String last) {
        return program("[2]", "linear(1)" + last, "csv(\"" + file + "\", test: 0.5)", loss);
    }

    /** A valid weights file of {@link #TINY}, as {@code nnc train} writes it. */
    static byte[] tinyWeights() {
        try {
            Path tmp = Files.createTempFile("tiny", ".nnw");
            var model = NncCompiler.compile("tiny.nn", TINY, NncCompiler.Options.defaults()).newModel();
            model.initialize(1);
            model.save(tmp);
            byte[] bytes = Files.readAllBytes(tmp);
            Files.delete(tmp);
            return bytes;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code bytes} with the checksum at the end recomputed (so the damage reaches a field's check). */
    static byte[] withChecksum(byte[] bytes) {
        CRC32 crc = new CRC32();
        crc.update(bytes, 0, bytes.length - 4);
        ByteBuffer.wrap(bytes).putInt(bytes.length - 4, (int) crc.getValue());
        return bytes;
    }
}
