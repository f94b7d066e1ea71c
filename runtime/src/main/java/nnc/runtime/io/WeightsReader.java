package nnc.runtime.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.zip.CRC32;
import nnc.runtime.model.ModelSpec;
import nnc.runtime.model.TensorSpec;

/**
 * Reads and validates a weights file ({@link WeightsFile} has the layout). The file is never
 * read past the size the model's tensors can need, so {@code /dev/zero} or a 10 GB file is
 * rejected at once; every header field is checked against the bytes that remain, and each
 * problem is a {@link WeightsFile.FormatException} naming the byte offset and what was expected.
 * Values must be finite: NaN weights (from a diverged run, or damage) are refused rather than
 * predicted with.
 */
public final class WeightsReader {
    private static final int MAX_RANK = 8;
    /** Magic, version, fingerprint, the model name's length, the tensor count and the checksum. */
    private static final int FIXED = 4 + 4 + 8 + 2 + 4 + 4;
    private static final String CHECKPOINT_HINT = "\n  = hint: nnc's commands read a checkpoint when its name ends in .nnck (--weights FILE.nnck); "
            + "a model's load() and loadWeights() take weights files (.nnw) only";

    private final String file;
    private final ByteBuffer in;

    private WeightsReader(String file, byte[] bytes) {
        this.file = file;
        this.in = ByteBuffer.wrap(bytes);
    }

    /**
     * Reads {@code file} into {@code params}, which change only when the whole file is valid. A
     * file of another model (by fingerprint) is refused unless {@code force}; then it still needs
     * every tensor of the model, by name and shape.
     */
    static void read(Path file, ModelSpec spec, float[] params, boolean force) throws IOException {
        parse(file, readBounded(file, spec), spec, params, force);
    }

    /** Reads a weights file from {@code stream}, never past the largest file {@code spec} can have. */
    static void read(InputStream stream, String file, ModelSpec spec, float[] params) throws IOException {
        long max = maxSize(spec);
        byte[] bytes = stream.readNBytes((int) Math.min(max + 1, Integer.MAX_VALUE - 8));
        if (bytes.length > max) {
            throw tooLarge(file, max, bytes, spec);
        }
        new WeightsReader(file, bytes).parse(spec, params, false);
    }

    /** Reads the contents of a weights file ({@code file} names it in messages) into {@code params}. */
    public static void parse(Path file, byte[] bytes, ModelSpec spec, float[] params, boolean force) throws IOException {
        if (bytes.length > maxSize(spec)) {
            throw new WeightsFile.FormatException(file + ": larger than any weights file of " + spec.name() + " can be");
        }
        new WeightsReader(file.toString(), bytes).parse(spec, params, force);
    }

    /** The largest file {@code spec} can have: every tensor with the longest names a file can hold. */
    static long maxSize(ModelSpec spec) {
        long size = FIXED + 0xFFFF;
        for (TensorSpec t : spec.tensors()) {
            size += 2 + 0xFFFF + 1 + 4L * t.shape().length + 4L * t.size();
        }
        return size;
    }

    private static byte[] readBounded(Path file, ModelSpec spec) throws IOException {
        long max = maxSize(spec);
        if (Files.isDirectory(file)) {
            throw new WeightsFile.FormatException(file + " is a folder, not a weights file");
        }
        try (InputStream s = Files.newInputStream(file)) {
            byte[] bytes = s.readNBytes((int) Math.min(max + 1, Integer.MAX_VALUE - 8));
            if (bytes.length > max) {
                throw tooLarge(file.toString(), max, bytes, spec);
            }
            return bytes;
        } catch (NoSuchFileException e) {
            throw new WeightsFile.FormatException(file + ": no such file");
        }
    }

    private static WeightsFile.FormatException tooLarge(String file, long max, byte[] head, ModelSpec spec) {
        if (head.length >= 4 && java.nio.ByteBuffer.wrap(head).getInt(0) == CheckpointFile.MAGIC) {
            return new WeightsFile.FormatException(file + ": a checkpoint (\"NNCK\"), not a weights file" + CHECKPOINT_HINT);
        }
        String other = modelName(head);
        return new WeightsFile.FormatException(file + ": larger than any weights file of " + spec.name() + " can be ("
                + count(max) + " bytes); " + (other == null ? "not a weights file for it"
                : "these are weights of model " + other + (other.equals(spec.name()) ? " of another size" : "")));
    }

    /** The model name in the header of a weights file's first bytes, or null when they are not one. */
    private static String modelName(byte[] head) {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(head);
        int nameAt = 4 + 4 + 8;
        if (head.length < nameAt + 2 || b.getInt(0) != WeightsFile.MAGIC) {
            return null;
        }
        int length = b.getShort(nameAt) & 0xFFFF;
        if (length == 0 || head.length < nameAt + 2 + length) {
            return null;
        }
        return new String(head, nameAt + 2, length, java.nio.charset.StandardCharsets.UTF_8);
    }

    private void parse(ModelSpec spec, float[] params, boolean force) throws IOException {
        int version = WeightsFile.VERSION;
        if (in.remaining() < 4 || in.getInt(0) != WeightsFile.MAGIC) {
            boolean checkpoint = in.remaining() >= 4 && in.getInt(0) == CheckpointFile.MAGIC;
            throw problem(0, "not an nnc weights file (it does not start with \"NNCW\")" + (checkpoint
                    ? "; it is a checkpoint (\"NNCK\")" + CHECKPOINT_HINT : ""));
        }
        if (in.remaining() < FIXED) {
            throw problem(in.remaining(), "the file ends after " + in.remaining() + " bytes, inside its header (truncated)");
        }
        in.position(4);
        int v = in.getInt();
        if (v != version) {
            throw problem(4, "weights format version " + v + " is not supported (expected " + version + ")");
        }
        int body = in.limit() - 4;
        CRC32 crc = new CRC32();
        crc.update(in.array(), 0, body);
        if (in.getInt(body) != (int) crc.getValue()) {
            throw problem(body, "checksum mismatch: the file is damaged or truncated");
        }
        in.limit(body);
        long fingerprint = in.getLong();
        String model = string("the model name");
        if (fingerprint != spec.fingerprint() && !force) {
            throw new WeightsFile.FormatException(file + ": these are weights of " + (model.equals(spec.name())
                    ? "another version of " + model + " (its tensors differ)" : "model " + model)
                    + ", not of " + spec.name() + " (fingerprints " + Long.toHexString(fingerprint) + " and "
                    + Long.toHexString(spec.fingerprint()) + ")\n  = hint: --force loads them anyway (nnc predict, "
                    + "evaluate, build) when every tensor of " + spec.name() + " is in the file with its shape");
        }
        int countAt = in.position();
        long count = need(4, "the tensor count") == 4 ? in.getInt() & 0xFFFFFFFFL : 0;
        if (count != spec.tensors().size()) {
            throw problem(countAt, "the file has " + count + " tensors (model " + model + "), but " + spec.name()
                    + " has " + spec.tensors().size());
        }
        int[] valuesAt = new int[spec.tensors().size()];
        java.util.Arrays.fill(valuesAt, -1);
        for (long i = 0; i < count; i++) {
            tensor(spec, valuesAt, model);
        }
        if (in.hasRemaining()) {
            throw problem(in.position(), in.remaining() + " bytes after the last tensor, before the checksum");
        }
        for (int i = 0; i < valuesAt.length; i++) {
            if (valuesAt[i] < 0) {
                throw new WeightsFile.FormatException(file + ": tensor '" + spec.tensors().get(i).name() + "' of "
                        + spec.name() + " is missing from the file");
            }
        }
        // Only a file that passed every check changes the parameters.
        for (int i = 0; i < valuesAt.length; i++) {
            TensorSpec t = spec.tensors().get(i);
            in.position(valuesAt[i]);
            in.asFloatBuffer().get(params, t.offset(), t.size());
        }
    }

    /** Checks one tensor's entry and notes where its values start. */
    private void tensor(ModelSpec spec, int[] valuesAt, String model) throws IOException {
        int at = in.position();
        String name = string("a tensor name");
        TensorSpec t = spec.tensor(name);
        if (t == null) {
            throw problem(at, "tensor '" + name + "' (from model " + model + ") does not exist in " + spec.name());
        }
        int index = spec.tensors().indexOf(t);
        if (valuesAt[index] >= 0) {
            throw problem(at, "tensor '" + name + "' appears twice");
        }
        need(1, "the rank of '" + name + "'");
        int rank = in.get() & 0xFF;
        if (rank != t.shape().length) {
            throw problem(in.position() - 1, "tensor '" + name + "' has rank " + rank + " in the file but "
                    + t.shape().length + " in " + spec.name() + " " + t.shapeText()
                    + (rank > MAX_RANK ? " (the file is damaged)" : ""));
        }
        need(4L * rank, "the shape of '" + name + "'");
        int[] shape = new int[rank];
        for (int d = 0; d < rank; d++) {
            shape[d] = in.getInt();
        }
        if (!java.util.Arrays.equals(shape, t.shape())) {
            throw problem(in.position() - 4 * rank, "tensor '" + name + "' has shape " + java.util.Arrays.toString(shape)
                    + " in the file but " + t.shapeText() + " in " + spec.name());
        }
        need(4L * t.size(), "the " + count(t.size()) + " values of '" + name + "'");
        int start = in.position();
        for (int i = 0; i < t.size(); i++) {
            float v = in.getFloat(start + 4 * i);
            if (!Float.isFinite(v)) {
                throw problem(start + 4L * i, "value " + i + " of '" + name + "' is " + v
                        + "; weights must be finite (did training diverge?)");
            }
        }
        valuesAt[index] = start;
        in.position(start + 4 * t.size());
    }

    /** Bytes that must remain for {@code what}; returns n. */
    private long need(long n, String what) throws IOException {
        if (in.remaining() < n) {
            throw problem(in.position(), "the file ends inside " + what + " (" + in.remaining() + " of " + count(n)
                    + " bytes left; truncated or damaged)");
        }
        return n;
    }

    private String string(String what) throws IOException {
        need(2, what);
        int at = in.position();
        int len = in.getShort() & 0xFFFF;
        need(len, what);
        byte[] b = new byte[len];
        in.get(b);
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(b)).toString();
        } catch (CharacterCodingException e) {
            throw problem(at + 2, what + " is not UTF-8 text");
        }
    }

    private WeightsFile.FormatException problem(long offset, String message) {
        return new WeightsFile.FormatException(file + ": byte " + offset + ": " + message);
    }

    private static String count(long n) {
        return String.format(java.util.Locale.ROOT, "%,d", n);
    }
}
