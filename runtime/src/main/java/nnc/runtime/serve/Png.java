package nnc.runtime.serve;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * A PNG decoder for the common cases: grey, grey + alpha, RGB, RGBA and palette images of
 * 1 to 16 bits, not interlaced. Written here because {@code javax.imageio} takes a quarter of
 * a second to start, half the time budget of a one-image prediction. Interlaced images return
 * null, and the caller falls back to ImageIO. Alpha is ignored, as PIL's {@code convert("L")}
 * ignores it.
 */
final class Png {
    private static final long SIGNATURE = 0x89504E470D0A1A0AL;

    private Png() {
    }

    static boolean isPng(byte[] b) {
        return b.length >= 8 && ByteBuffer.wrap(b, 0, 8).getLong() == SIGNATURE;
    }

    /** The image as 8-bit values (0-255); null for an interlaced image. */
    static Raster decode(byte[] file) throws InputException {
        ByteBuffer in = ByteBuffer.wrap(file);
        in.position(8);
        int width = 0;
        int height = 0;
        int depth = 0;
        int type = -1;
        byte[] palette = null;
        ByteArrayOutputStream idat = new ByteArrayOutputStream();
        while (in.remaining() >= 12) {
            int length = in.getInt();
            String chunk = new String(file, in.position(), 4, java.nio.charset.StandardCharsets.ISO_8859_1);
            int data = in.position() + 4;
            if (length < 0 || data + length + 4 > file.length) {
                throw new InputException("a damaged PNG file (chunk " + chunk + " runs past the end)");
            }
            switch (chunk) {
                case "IHDR" -> {
                    ByteBuffer h = ByteBuffer.wrap(file, data, length);
                    width = h.getInt();
                    height = h.getInt();
                    depth = h.get() & 0xFF;
                    type = h.get() & 0xFF;
                    h.get();
                    h.get();
                    if (h.get() != 0) {
                        return null;
                    }
                }
                case "PLTE" -> palette = java.util.Arrays.copyOfRange(file, data, data + length);
                case "IDAT" -> idat.write(file, data, length);
                default -> {
                }
            }
            in.position(data + length + 4);
            if (chunk.equals("IEND")) {
                break;
            }
        }
        int samples = switch (type) {
            case 0, 3 -> 1;
            case 2 -> 3;
            case 4 -> 2;
            case 6 -> 4;
            default -> throw new InputException("not a PNG image this reader knows (color type " + type + ")");
        };
        if (width < 1 || height < 1 || (long) width * height > 1 << 26 || (depth != 8 && depth != 16 && type >= 2 && type != 3)) {
            throw new InputException("a PNG image of " + width + "x" + height + " at " + depth + " bits is not supported");
        }
        int bitsPerPixel = samples * depth;
        int stride = (width * bitsPerPixel + 7) / 8;
        byte[] pixels = inflate(idat.toByteArray(), (stride + 1) * height);
        unfilter(pixels, stride, height, Math.max(1, bitsPerPixel / 8));
        boolean grey = type == 0 || type == 4 || (type == 3 && greyPalette(palette));
        Raster out = new Raster(grey ? 1 : 3, height, width);
        for (int y = 0; y < height; y++) {
            int row = y * (stride + 1) + 1;
            for (int x = 0; x < width; x++) {
                if (type == 3) {
                    int i = sample(pixels, row, x, depth) * 3;
                    if (palette == null || i + 2 >= palette.length) {
                        throw new InputException("a damaged PNG file (palette index out of range)");
                    }
                    for (int c = 0; c < out.channels(); c++) {
                        out.set(c, y, x, palette[i + c] & 0xFF);
                    }
                } else {
                    for (int c = 0; c < out.channels(); c++) {
                        int v = sample(pixels, row, x * samples + c, depth);
                        out.set(c, y, x, depth == 16 ? v / 257f : depth < 8 ? v * 255f / ((1 << depth) - 1) : v);
                    }
                }
            }
        }
        return out;
    }

    /** The {@code i}-th sample of a row starting at {@code row}, at {@code depth} bits each. */
    private static int sample(byte[] p, int row, int i, int depth) {
        return switch (depth) {
            case 8 -> p[row + i] & 0xFF;
            case 16 -> ((p[row + 2 * i] & 0xFF) << 8) | (p[row + 2 * i + 1] & 0xFF);
            default -> {
                int bit = i * depth;
                yield ((p[row + bit / 8] & 0xFF) >> (8 - depth - bit % 8)) & ((1 << depth) - 1);
            }
        };
    }

    private static boolean greyPalette(byte[] palette) {
        if (palette == null) {
            return false;
        }
        for (int i = 0; i + 2 < palette.length; i += 3) {
            if (palette[i] != palette[i + 1] || palette[i] != palette[i + 2]) {
                return false;
            }
        }
        return true;
    }

    private static byte[] inflate(byte[] data, int size) throws InputException {
        Inflater inf = new Inflater();
        inf.setInput(data);
        byte[] out = new byte[size];
        try {
            int n = 0;
            while (n < size && !inf.finished()) {
                int got = inf.inflate(out, n, size - n);
                if (got == 0 && (inf.needsInput() || inf.needsDictionary())) {
                    break;
                }
                n += got;
            }
            if (n < size) {
                throw new InputException("a damaged PNG file (" + n + " of " + size + " bytes of pixels)");
            }
            return out;
        } catch (DataFormatException e) {
            throw new InputException("a damaged PNG file (" + e.getMessage() + ")");
        } finally {
            inf.end();
        }
    }

    /** Undoes the per-row filters in place; each row is a filter byte and {@code stride} bytes. */
    private static void unfilter(byte[] p, int stride, int height, int bpp) throws InputException {
        for (int y = 0; y < height; y++) {
            int row = y * (stride + 1);
            int filter = p[row];
            int cur = row + 1;
            int prev = cur - (stride + 1);
            for (int i = 0; i < stride; i++) {
                int a = i >= bpp ? p[cur + i - bpp] & 0xFF : 0;
                int b = y > 0 ? p[prev + i] & 0xFF : 0;
                int c = i >= bpp && y > 0 ? p[prev + i - bpp] & 0xFF : 0;
                int add = switch (filter) {
                    case 0 -> 0;
                    case 1 -> a;
                    case 2 -> b;
                    case 3 -> (a + b) >> 1;
                    case 4 -> paeth(a, b, c);
                    default -> throw new InputException("a damaged PNG file (filter " + filter + ")");
                };
                p[cur + i] = (byte) (p[cur + i] + add);
            }
        }
    }

    private static int paeth(int a, int b, int c) {
        int p = a + b - c;
        int pa = Math.abs(p - a);
        int pb = Math.abs(p - b);
        int pc = Math.abs(p - c);
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }
}
