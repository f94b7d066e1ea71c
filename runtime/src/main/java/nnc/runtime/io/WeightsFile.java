package nnc.runtime.io;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
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
 * Written to a temporary file in the same folder and renamed over the target, so a crash
 * leaves either the old file or the new one, never a torn one. Reading checks the checksum
 * and that every tensor of the model is present with its shape.
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
        out.flush();
        CRC32 crc = new CRC32();
        crc.update(bytes.toByteArray());
        out.writeInt((int) crc.getValue());
        out.flush();

        Path dir = file.toAbsolutePath().getParent();
        if (dir != null) {
            Files.createDirectories(dir);
        }
        Path tmp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp");
        try {
            Files.write(tmp, bytes.toByteArray());
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    public static void read(Path file, ModelSpec spec, float[] params) throws IOException {
        byte[] all;
        try {
            all = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new FormatException(file + ": no such file");
        }
        parse(all, file.toString(), spec, params);
    }

    /** Reads a weights file from a stream (to its end; the stream is not closed), named {@code file} in messages. */
    public static void read(java.io.InputStream in, String file, ModelSpec spec, float[] params) throws IOException {
        parse(in.readAllBytes(), file, spec, params);
    }

    private static void parse(byte[] all, String file, ModelSpec spec, float[] params) throws IOException {
        if (all.length < 24) {
            throw new FormatException(file + ": too short to be a weights file (" + all.length + " bytes)");
        }
        DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(all));
        if (in.readInt() != MAGIC) {
            throw new FormatException(file + ": not an nnc weights file (bad magic)");
        }
        int version = in.readInt();
        if (version != VERSION) {
            throw new FormatException(file + ": weights format version " + version + " is not supported (expected "
                    + VERSION + ")");
        }
        CRC32 crc = new CRC32();
        crc.update(all, 0, all.length - 4);
        int stored = ByteBuffer.wrap(all, all.length - 4, 4).getInt();
        if (stored != (int) crc.getValue()) {
            throw new FormatException(file + ": checksum mismatch; the file is damaged");
        }
        in.readLong(); // fingerprint: informative, tensors are checked by name and shape
        String model = readString(in);
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
