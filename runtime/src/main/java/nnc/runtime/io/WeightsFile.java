package nnc.runtime.io;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
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
 * leaves either the old file or the new one, never a torn one. Reading ({@link WeightsReader})
 * checks every field, the checksum and that every tensor of the model is present with its shape.
 */
public final class WeightsFile {
    static final int MAGIC = 0x4E4E4357; // "NNCW"
    static final int VERSION = 1;

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

    /**
     * Reads the parameters of {@code spec} from {@code file}, validating every field
     * ({@link WeightsReader}); {@code params} change only when the whole file is valid.
     */
    public static void read(Path file, ModelSpec spec, float[] params) throws IOException {
        WeightsReader.read(file, spec, params);
    }

    private static void writeString(DataOutputStream out, String s) throws IOException {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.writeShort(b.length);
        out.write(b);
    }

}
