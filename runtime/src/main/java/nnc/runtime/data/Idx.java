package nnc.runtime.data;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * Reads IDX files (the MNIST format), plain or gzipped: magic {@code 0x00 0x00 type rank},
 * {@code rank} big-endian u32 sizes, then the data. Only unsigned bytes (type 0x08) occur in
 * the datasets nnc reads.
 */
public final class Idx {
    private Idx() {
    }

    /** The dimensions and raw bytes of one IDX file. */
    public record Array(int[] dims, byte[] data) {
    }

    public static Array read(Path file) throws IOException {
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            raw.mark(2);
            int b0 = raw.read();
            int b1 = raw.read();
            raw.reset();
            InputStream in = b0 == 0x1f && b1 == 0x8b ? new BufferedInputStream(new GZIPInputStream(raw, 1 << 16)) : raw;
            DataInputStream data = new DataInputStream(in);
            int magic = data.readInt();
            int type = (magic >>> 8) & 0xFF;
            int rank = magic & 0xFF;
            if ((magic >>> 16) != 0 || rank < 1 || rank > 4) {
                throw new IOException(file + ": not an IDX file (magic 0x" + Integer.toHexString(magic) + ")");
            }
            if (type != 0x08) {
                throw new IOException(file + ": IDX element type 0x" + Integer.toHexString(type)
                        + " is not supported (only unsigned bytes, 0x08)");
            }
            int[] dims = new int[rank];
            long total = 1;
            for (int i = 0; i < rank; i++) {
                dims[i] = data.readInt();
                total *= dims[i];
            }
            if (total > Integer.MAX_VALUE - 8) {
                throw new IOException(file + ": too large (" + total + " elements)");
            }
            byte[] bytes = new byte[(int) total];
            data.readFully(bytes);
            return new Array(dims, bytes);
        }
    }
}
