package nnc.runtime.data;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads IDX files (the MNIST format), plain or gzipped: magic {@code 0x00 0x00 type rank},
 * {@code rank} big-endian u32 sizes, then the data. Only unsigned bytes (type 0x08) occur in
 * the datasets nnc reads. Every header field is checked, and the data the header promises
 * against what the file holds, before anything is allocated for it: a damaged or truncated
 * file is a {@link DataFileException} naming the byte where the problem is.
 */
public final class Idx {
    /** What a Java array holds. */
    public static final long MAX_ELEMENTS = Integer.MAX_VALUE - 8;

    private Idx() {
    }

    /** The dimensions and raw bytes of one IDX file. */
    public record Array(int[] dims, byte[] data) {
    }

    /** The dimensions of one IDX file, from its header. */
    public record Header(int[] dims) {
        public long elements() {
            long n = 1;
            for (int d : dims) {
                n *= d;
            }
            return n;
        }

        /** Header bytes: the magic number and one u32 per dimension. */
        public int bytes() {
            return 4 + 4 * dims.length;
        }
    }

    public static Array read(Path file) throws IOException {
        try (InputStream in = open(file)) {
            return read(file, in, in instanceof GzipReader ? -1 : Files.size(file));
        }
    }

    /** The contents of an IDX file, plain or gzipped; {@code file} names it in messages. */
    public static Array parse(Path file, byte[] bytes) throws IOException {
        InputStream raw = new java.io.ByteArrayInputStream(bytes);
        boolean gzip = GzipReader.isGzip(bytes);
        try (InputStream in = gzip ? new GzipReader(file, raw) : raw) {
            return read(file, in, gzip ? -1 : bytes.length);
        }
    }

    /** @param plainSize the file's size when it is not compressed (checked before reading), else -1 */
    private static Array read(Path file, InputStream in, long plainSize) throws IOException {
        Header h = header(file, in);
        long expected = h.elements();
        if (plainSize >= 0) {
            if (plainSize < h.bytes() + expected) {
                throw DataFileException.at(file, plainSize, "the file ends after "
                        + DataFileException.count(plainSize - h.bytes()) + " of the " + DataFileException.count(expected)
                        + " data bytes its header promises (truncated)");
            }
            if (plainSize > h.bytes() + expected) {
                throw DataFileException.at(file, h.bytes() + expected, DataFileException.count(plainSize - h.bytes()
                        - expected) + " bytes after the data its header describes");
            }
        }
        byte[] data = in.readNBytes((int) expected); // grows as it reads: memory follows the file, not the header
        if (data.length < expected) {
            throw DataFileException.of(file, "the uncompressed data ends after " + DataFileException.count(data.length)
                    + " of the " + DataFileException.count(expected) + " bytes its header promises (truncated)");
        }
        if (in.read() >= 0) {
            throw DataFileException.of(file, "the uncompressed data goes on after the "
                    + DataFileException.count(expected) + " bytes its header describes");
        }
        return new Array(h.dims(), data);
    }

    /** Only the header, checked; the data is not read (nor checked, for gzipped files). */
    public static Header readHeader(Path file) throws IOException {
        try (InputStream in = open(file)) {
            Header h = header(file, in);
            if (!(in instanceof GzipReader)) {
                long size = Files.size(file);
                long end = h.bytes() + h.elements();
                if (size != end) {
                    throw DataFileException.at(file, Math.min(size, end), "the header promises "
                            + DataFileException.count(h.elements()) + " data bytes but the file has "
                            + DataFileException.count(size - h.bytes()) + (size < end ? " (truncated)" : ""));
                }
            }
            return h;
        }
    }

    /** The file's bytes, through a strict gzip reader when it starts with the gzip magic. */
    static InputStream open(Path file) throws IOException {
        InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        raw.mark(2);
        byte[] magic = raw.readNBytes(2);
        raw.reset();
        return GzipReader.isGzip(magic) ? new GzipReader(file, raw) : raw;
    }

    /** Reads and checks the header fields; offsets are those of the uncompressed bytes. */
    static Header header(Path file, InputStream in) throws IOException {
        byte[] magic = in.readNBytes(4);
        if (magic.length < 4) {
            throw DataFileException.at(file, magic.length, "the file ends inside the IDX header (" + magic.length
                    + " bytes; expected at least 4)");
        }
        if (magic[0] != 0 || magic[1] != 0) {
            throw DataFileException.at(file, 0, String.format("expected an IDX magic number 00 00 08 RANK, found %02x %02x %02x %02x",
                    magic[0] & 0xFF, magic[1] & 0xFF, magic[2] & 0xFF, magic[3] & 0xFF) + "; not an IDX file");
        }
        if (magic[2] != 0x08) {
            throw DataFileException.at(file, 2, String.format("element type 0x%02x is not supported; expected 0x08 "
                    + "(unsigned bytes)", magic[2] & 0xFF));
        }
        int rank = magic[3] & 0xFF;
        if (rank < 1 || rank > 4) {
            throw DataFileException.at(file, 3, "rank " + rank + "; expected 1 to 4 dimensions");
        }
        int[] dims = new int[rank];
        long elements = 1;
        for (int i = 0; i < rank; i++) {
            byte[] b = in.readNBytes(4);
            if (b.length < 4) {
                throw DataFileException.at(file, 4 + 4L * i + b.length, "the file ends inside the IDX header (dimension "
                        + (i + 1) + " of " + rank + ")");
            }
            long d = ((b[0] & 0xFFL) << 24) | ((b[1] & 0xFF) << 16) | ((b[2] & 0xFF) << 8) | (b[3] & 0xFF);
            if (d < 1 || d > Integer.MAX_VALUE) {
                throw DataFileException.at(file, 4 + 4L * i, "dimension " + (i + 1) + " is " + DataFileException.count(d)
                        + "; expected 1 to " + DataFileException.count(Integer.MAX_VALUE));
            }
            dims[i] = (int) d;
            elements *= d;
            if (elements > MAX_ELEMENTS) {
                throw DataFileException.at(file, 4 + 4L * i, "the header describes more than "
                        + DataFileException.count(MAX_ELEMENTS) + " values, more than nnc can hold in memory");
            }
        }
        return new Header(dims);
    }
}
