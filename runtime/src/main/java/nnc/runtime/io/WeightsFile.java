package nnc.runtime.io;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.CRC32;
import nnc.runtime.model.ModelSpec;
import nnc.runtime.model.TensorSpec;

/**
 * The weights file ({@code .nnw}); docs/formats.md has the layout. Big-endian throughout:
 *
 * <pre>
 *   "NNCW"  u32 version=1  u64 fingerprint  str model  u32 count
 *   count x { str name  u8 rank  u32 dims[rank]  f32 data[prod(dims)] }
 *   u32 crc32 of every byte before it
 *   (str = u16 length + UTF-8 bytes)
 * </pre>
 *
 * Written through {@link AtomicFile} (a temporary file, forced to disk, renamed over the
 * target), so a crash leaves either the old file or the new one, never a torn one. Reading
 * checks the checksum, the model's fingerprint (unless forced), and that every tensor of the
 * model is present with its shape.
 */
public final class WeightsFile {
    private static final int MAGIC = 0x4E4E4357; // "NNCW"
    private static final int VERSION = 1;

    private WeightsFile() {
    }

    /** A weights file that is damaged or belongs to another model. */
    public static final class FormatException extends IOException {
        public FormatException(String message) {
            super(message);
        }
    }

    public static void write(Path file, ModelSpec spec, float[] params) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(params.length * 4 + 1024);
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeInt(MAGIC);
        out.writeInt(VERSION);
        out.writeLong(spec.fingerprint());
        writeString(out, spec.name());
        out.writeInt(spec.tensors().size());
        for (TensorSpec t : spec.tensors()) {
            writeString(out, t.name());
            int[] shape = t.shape();
            out.writeByte(shape.length);
            for (int d : shape) {
                out.writeInt(d);
            }
            ByteBuffer buf = ByteBuffer.allocate(t.size() * 4);
            buf.asFloatBuffer().put(params, t.offset(), t.size());
            out.write(buf.array());
        }
        writeVerified(file, bytes, out);
    }

    /** Reads the parameters of {@code spec}'s model; a file written for another model is refused. */
    public static void read(Path file, ModelSpec spec, float[] params) throws IOException {
        read(file, spec, params, false);
    }

    /**
     * Reads parameters into {@code params}. A file whose fingerprint is not the model's (another
     * model, or another version of it) is refused naming both, unless {@code force}; then it
     * still needs every tensor of the model, by name and shape.
     */
    public static void read(Path file, ModelSpec spec, float[] params, boolean force) throws IOException {
        parse(readVerified(file, MAGIC, VERSION, "weights file"), file.toString(), spec, params, force);
    }

    /**
     * Reads a weights file from a stream (a resource, say: to its end; the stream is not
     * closed), named {@code file} in messages; the model's own weights only.
     */
    public static void read(java.io.InputStream stream, String file, ModelSpec spec, float[] params) throws IOException {
        parse(verified(stream.readAllBytes(), file, MAGIC, VERSION, "weights file"), file, spec, params, false);
    }

    private static void parse(byte[] all, String file, ModelSpec spec, float[] params, boolean force)
            throws IOException {
        DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(all, 8, all.length - 12));
        long fingerprint = in.readLong();
        String model = readString(in);
        if (fingerprint != spec.fingerprint() && !force) {
            throw new FormatException(file + ": these are weights of " + (model.equals(spec.name())
                    ? "another version of " + model + " (its tensors differ)" : "model " + model)
                    + ", not of " + spec.name() + " (fingerprints " + Long.toHexString(fingerprint) + " and "
                    + Long.toHexString(spec.fingerprint()) + ")\n  = hint: --force loads them anyway when every tensor of "
                    + spec.name() + " is in the file with its shape");
        }
        int count = in.readInt();
        boolean[] seen = new boolean[spec.tensors().size()];
        for (int i = 0; i < count; i++) {
            String name = readString(in);
            int rank = in.readUnsignedByte();
            int[] shape = new int[rank];
            int size = 1;
            for (int d = 0; d < rank; d++) {
                shape[d] = in.readInt();
                size *= shape[d];
            }
            TensorSpec t = spec.tensor(name);
            if (t == null) {
                throw new FormatException(file + ": tensor '" + name + "' (from model " + model
                        + ") does not exist in " + spec.name());
            }
            if (!Arrays.equals(t.shape(), shape)) {
                throw new FormatException(file + ": tensor '" + name + "' has shape " + Arrays.toString(shape)
                        + " in the file but " + t.shapeText() + " in " + spec.name());
            }
            byte[] data = new byte[size * 4];
            in.readFully(data);
            ByteBuffer.wrap(data).asFloatBuffer().get(params, t.offset(), size);
            seen[spec.tensors().indexOf(t)] = true;
        }
        for (int i = 0; i < seen.length; i++) {
            if (!seen[i]) {
                throw new FormatException(file + ": tensor '" + spec.tensors().get(i).name() + "' of "
                        + spec.name() + " is missing from the file");
            }
        }
    }

    /** Appends the CRC-32 of everything {@code out} wrote into {@code bytes} and writes the file atomically. */
    static void writeVerified(Path file, ByteArrayOutputStream bytes, DataOutputStream out) throws IOException {
        out.flush();
        CRC32 crc = new CRC32();
        crc.update(bytes.toByteArray());
        out.writeInt((int) crc.getValue());
        out.flush();
        AtomicFile.write(file, bytes.toByteArray());
    }

    /**
     * The bytes of an nnc file whose magic, version and trailing CRC-32 are checked; a missing,
     * foreign, newer or damaged file is refused naming the problem.
     */
    static byte[] readVerified(Path file, int magic, int version, String kind) throws IOException {
        byte[] all;
        try {
            all = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new FormatException(file + ": no such file");
        }
        return verified(all, file.toString(), magic, version, kind);
    }

    private static byte[] verified(byte[] all, String file, int magic, int version, String kind) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(all);
        if (all.length < 24 || b.getInt() != magic) {
            throw new FormatException(file + ": not an nnc " + kind + " (bad magic)");
        }
        int v = b.getInt();
        if (v != version) {
            throw new FormatException(file + ": " + kind + " format version " + v + " is not supported (expected "
                    + version + ")");
        }
        CRC32 crc = new CRC32();
        crc.update(all, 0, all.length - 4);
        if (b.getInt(all.length - 4) != (int) crc.getValue()) {
            throw new FormatException(file + ": checksum mismatch; the " + kind + " is damaged");
        }
        return all;
    }

    private static void writeString(DataOutputStream out, String s) throws IOException {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.writeShort(b.length);
        out.write(b);
    }

    private static String readString(DataInputStream in) throws IOException {
        int len = in.readUnsignedShort();
        byte[] b = new byte[len];
        in.readFully(b);
        return new String(b, StandardCharsets.UTF_8);
    }
}
