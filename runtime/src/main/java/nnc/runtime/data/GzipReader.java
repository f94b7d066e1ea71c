package nnc.runtime.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * The uncompressed bytes of a gzip file (RFC 1952), checked as strictly as the data it holds:
 * every member's header, its deflate data, CRC-32 and length, and no bytes after the last
 * member (java.util.zip's GZIPInputStream ignores trailing garbage and reports damage in
 * zlib's words without a place). Problems are {@link DataFileException}s at the compressed byte
 * offset where they are found.
 */
final class GzipReader extends InputStream {
    private static final int FTEXT = 1;
    private static final int FHCRC = 2;
    private static final int FEXTRA = 4;
    private static final int FNAME = 8;
    private static final int FCOMMENT = 16;

    private final Path file;
    private final InputStream in;
    private final byte[] buffer = new byte[1 << 16];
    private int start;
    private int end;
    /** Compressed bytes consumed before {@code buffer[start]}. */
    private long consumed;
    private final Inflater inflater = new Inflater(true);
    private final CRC32 crc = new CRC32();
    private long memberStart;
    private long memberBytes;
    private boolean done;

    GzipReader(Path file, InputStream compressed) throws IOException {
        this.file = file;
        this.in = compressed;
        header();
    }

    /** True when the stream starts with the gzip magic bytes. */
    static boolean isGzip(byte[] firstTwo) {
        return firstTwo.length >= 2 && (firstTwo[0] & 0xFF) == 0x1f && (firstTwo[1] & 0xFF) == 0x8b;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] out, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        while (!done) {
            int n;
            try {
                n = inflater.inflate(out, off, len);
            } catch (DataFormatException e) {
                throw DataFileException.at(file, offset(), "the gzip data is damaged (" + e.getMessage() + ")");
            }
            if (n > 0) {
                crc.update(out, off, n);
                memberBytes += n;
                return n;
            }
            if (inflater.finished()) {
                int left = inflater.getRemaining();
                consume(end - start - left);
                trailer();
                continue;
            }
            if (inflater.needsDictionary()) {
                throw DataFileException.at(file, offset(), "the gzip data needs a preset dictionary; it is not a gzip file");
            }
            consume(end - start);
            if (fill() <= 0) {
                throw DataFileException.at(file, consumed, "the gzip file ends in the middle of its compressed data "
                        + "(truncated)");
            }
            inflater.setInput(buffer, start, end - start);
        }
        return -1;
    }

    /** The compressed offset the inflater has reached. */
    private long offset() {
        return consumed + (end - start - inflater.getRemaining());
    }

    private void consume(int n) {
        start += n;
        consumed += n;
    }

    private int fill() throws IOException {
        if (start < end) {
            return end - start;
        }
        start = 0;
        end = Math.max(0, in.read(buffer, 0, buffer.length));
        return end;
    }

    private int next(String what) throws IOException {
        if (fill() <= 0) {
            throw DataFileException.at(file, consumed, "the gzip file ends inside its " + what + " (truncated)");
        }
        consumed++;
        return buffer[start++] & 0xFF;
    }

    private long littleEndian(int bytes, String what) throws IOException {
        long v = 0;
        for (int i = 0; i < bytes; i++) {
            v |= (long) next(what) << (8 * i);
        }
        return v;
    }

    private void header() throws IOException {
        memberStart = consumed;
        if (next("header") != 0x1f || next("header") != 0x8b) {
            throw DataFileException.at(file, memberStart, "expected the gzip magic bytes 1f 8b");
        }
        int method = next("header");
        if (method != 8) {
            throw DataFileException.at(file, memberStart + 2, "gzip compression method " + method
                    + " is not deflate (8)");
        }
        int flags = next("header");
        if ((flags & ~(FTEXT | FHCRC | FEXTRA | FNAME | FCOMMENT)) != 0) {
            throw DataFileException.at(file, memberStart + 3, "reserved gzip flags are set (0x"
                    + Integer.toHexString(flags) + ")");
        }
        littleEndian(6, "header"); // mtime, extra flags, OS
        if ((flags & FEXTRA) != 0) {
            long len = littleEndian(2, "extra field");
            for (long i = 0; i < len; i++) {
                next("extra field");
            }
        }
        if ((flags & FNAME) != 0) {
            while (next("file name") != 0) {
                // the original file name, not needed
            }
        }
        if ((flags & FCOMMENT) != 0) {
            while (next("comment") != 0) {
                // a comment, not needed
            }
        }
        if ((flags & FHCRC) != 0) {
            littleEndian(2, "header checksum");
        }
        inflater.reset();
        crc.reset();
        memberBytes = 0;
        if (fill() > 0) {
            inflater.setInput(buffer, start, end - start);
        }
    }

    private void trailer() throws IOException {
        long at = consumed;
        long storedCrc = littleEndian(4, "trailer");
        long storedSize = littleEndian(4, "trailer");
        if (storedCrc != crc.getValue()) {
            throw DataFileException.at(file, at, "the gzip checksum does not match the data (the file is damaged)");
        }
        if (storedSize != (memberBytes & 0xFFFFFFFFL)) {
            throw DataFileException.at(file, at + 4, "the gzip trailer says " + DataFileException.count(storedSize)
                    + " bytes but the data has " + DataFileException.count(memberBytes));
        }
        if (fill() <= 0) {
            done = true;
            return;
        }
        if ((buffer[start] & 0xFF) != 0x1f) {
            throw DataFileException.at(file, consumed, "unexpected bytes after the end of the gzip data");
        }
        header(); // another member
    }

    @Override
    public void close() throws IOException {
        inflater.end();
        in.close();
    }
}
