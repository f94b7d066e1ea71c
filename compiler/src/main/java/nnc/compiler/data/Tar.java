package nnc.compiler.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** Reads the regular files of a tar stream (ustar or GNU): enough to unpack an npm package. */
final class Tar {
    private Tar() {
    }

    /**
     * Writes each regular file whose name {@code target} maps to a path (null: skip) and
     * returns the paths written.
     */
    static List<Path> extract(InputStream in, Function<String, Path> target) throws IOException {
        List<Path> written = new ArrayList<>();
        byte[] header = new byte[512];
        while (true) {
            if (in.readNBytes(header, 0, 512) < 512) {
                break;
            }
            if (allZero(header)) {
                break;
            }
            String name = text(header, 0, 100);
            String prefix = text(header, 345, 155);
            if (!prefix.isEmpty() && text(header, 257, 6).startsWith("ustar")) {
                name = prefix + "/" + name;
            }
            long size = Long.parseLong(text(header, 124, 12).trim().isEmpty() ? "0" : text(header, 124, 12).trim(), 8);
            char type = (char) header[156];
            Path out = (type == '0' || type == 0) ? target.apply(name) : null;
            long padded = (size + 511) / 512 * 512;
            if (out != null) {
                Files.createDirectories(out.getParent());
                try (var o = Files.newOutputStream(out)) {
                    long left = size;
                    byte[] buf = new byte[1 << 16];
                    while (left > 0) {
                        int r = in.read(buf, 0, (int) Math.min(buf.length, left));
                        if (r < 0) {
                            throw new IOException("tar archive ends inside " + name);
                        }
                        o.write(buf, 0, r);
                        left -= r;
                    }
                }
                in.skipNBytes(padded - size);
                written.add(out);
            } else {
                in.skipNBytes(padded);
            }
        }
        return written;
    }

    private static boolean allZero(byte[] b) {
        for (byte x : b) {
            if (x != 0) {
                return false;
            }
        }
        return true;
    }

    private static String text(byte[] b, int off, int len) {
        int end = off;
        while (end < off + len && b[end] != 0) {
            end++;
        }
        return new String(b, off, end - off, StandardCharsets.US_ASCII);
    }
}
