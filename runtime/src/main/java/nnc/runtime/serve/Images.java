package nnc.runtime.serve;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import nnc.runtime.model.Serving;

/**
 * Images as model inputs: decodes PNG (our own reader), PGM/PPM (likewise) and JPEG, GIF or BMP
 * (through {@code javax.imageio}, loaded only then), converts to the model's channels and
 * resizes to its input, giving pixel values 0-255, channels first: the raw input the model's
 * own preprocessing expects.
 */
public final class Images {
    private Images() {
    }

    /** The most pixels an image may have (8192 x 8192). */
    static final long MAX_PIXELS = 1L << 26;

    /**
     * Refuses an image whose header claims more pixels than {@link #MAX_PIXELS}, or more than its
     * {@code bytes} can encode (about 1,000 pixels a byte, the best compression of deflate),
     * before anything is allocated for them.
     */
    static void checkSize(long width, long height, long bytes, String format) throws InputException {
        if (width < 1 || height < 1) {
            throw new InputException("a damaged " + format + " file (its header says " + width + "x" + height + " pixels)");
        }
        if (width * height > MAX_PIXELS) {
            throw new InputException("a " + format + " image of " + width + "x" + height + " pixels; at most "
                    + String.format(java.util.Locale.ROOT, "%,d", MAX_PIXELS) + " pixels (8192x8192) are read");
        }
        if (width * height > (1L << 20) + 1032 * bytes) {
            throw new InputException("a damaged " + format + " file (" + String.format(java.util.Locale.ROOT, "%,d", bytes)
                    + " bytes cannot hold the " + width + "x" + height + " pixels its header claims)");
        }
    }

    /** True when the bytes start like an image this class reads. */
    public static boolean isImage(byte[] b) {
        return Png.isPng(b) || isJpeg(b) || isNetpbm(b) || (b.length > 2 && b[0] == 'B' && b[1] == 'M')
                || (b.length > 3 && b[0] == 'G' && b[1] == 'I' && b[2] == 'F');
    }

    /** The image as one raw sample of the model's image shape. */
    public static float[] sample(byte[] file, Serving.Image shape) throws InputException {
        return fit(decode(file), shape);
    }

    /** The image's pixels as they are in the file. */
    static Raster decode(byte[] file) throws InputException {
        Raster r = Png.isPng(file) ? Png.decode(file) : isNetpbm(file) ? netpbm(file) : null;
        return r != null ? r : imageIo(file);
    }

    /** Converted to the model's channels and resized to its height and width. */
    static float[] fit(Raster r, Serving.Image shape) {
        return r.withChannels(shape.channels()).resized(shape.height(), shape.width()).values();
    }

    private static boolean isJpeg(byte[] b) {
        return b.length > 2 && (b[0] & 0xFF) == 0xFF && (b[1] & 0xFF) == 0xD8;
    }

    private static boolean isNetpbm(byte[] b) {
        return b.length > 2 && b[0] == 'P' && (b[1] == '2' || b[1] == '3' || b[1] == '5' || b[1] == '6');
    }

    /** PGM (P2 text, P5 binary: grey) and PPM (P3, P6: RGB), 8 or 16 bits. */
    static Raster netpbm(byte[] b) throws InputException {
        char kind = (char) b[1];
        int[] pos = {2};
        int width = header(b, pos);
        int height = header(b, pos);
        int max = header(b, pos);
        if (max < 1 || max > 65535) {
            throw new InputException("a damaged PGM/PPM header (maximum value " + max + "; expected 1 to 65535)");
        }
        checkSize(width, height, b.length, "PGM/PPM");
        int channels = kind == '2' || kind == '5' ? 1 : 3;
        Raster out = new Raster(channels, height, width);
        boolean binary = kind == '5' || kind == '6';
        int bytes = max > 255 ? 2 : 1;
        int p = pos[0] + 1;
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                for (int c = 0; c < channels; c++) {
                    int v;
                    if (binary) {
                        if (p + bytes > b.length) {
                            throw new InputException("a PGM/PPM file shorter than its " + width + "x" + height + " pixels");
                        }
                        v = bytes == 1 ? b[p] & 0xFF : ((b[p] & 0xFF) << 8) | (b[p + 1] & 0xFF);
                        p += bytes;
                    } else {
                        v = header(b, pos);
                    }
                    out.set(c, y, x, v * 255f / max);
                }
            }
        }
        return out;
    }

    /** The next whole number of a Netpbm header (skipping blanks and # comments); advances {@code pos[0]}. */
    private static int header(byte[] b, int[] pos) throws InputException {
        int p = pos[0];
        while (p < b.length && (Character.isWhitespace(b[p]) || b[p] == '#')) {
            if (b[p] == '#') {
                while (p < b.length && b[p] != '\n') {
                    p++;
                }
            } else {
                p++;
            }
        }
        int v = 0;
        int start = p;
        while (p < b.length && b[p] >= '0' && b[p] <= '9' && p - start < 9) {
            v = v * 10 + (b[p] - '0');
            p++;
        }
        if (p == start) {
            throw new InputException("a damaged PGM/PPM file (expected a number at byte " + p + ")");
        }
        pos[0] = p;
        return v;
    }

    static Raster imageIo(byte[] file) throws InputException {
        java.awt.image.BufferedImage img;
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(file))) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                throw new InputException("not an image format this JVM reads");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                // the header first: the decoder allocates what it claims
                checkSize(reader.getWidth(0), reader.getHeight(0), file.length, reader.getFormatName().toUpperCase(
                        java.util.Locale.ROOT));
                img = reader.read(0);
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            throw new InputException("a damaged image (" + e.getMessage() + ")");
        }
        boolean grey = img.getColorModel().getNumColorComponents() == 1;
        Raster out = new Raster(grey ? 1 : 3, img.getHeight(), img.getWidth());
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                if (grey) {
                    out.set(0, y, x, img.getRaster().getSample(x, y, 0) * 255f
                            / ((1 << img.getColorModel().getComponentSize(0)) - 1));
                } else {
                    int rgb = img.getRGB(x, y);
                    out.set(0, y, x, (rgb >> 16) & 0xFF);
                    out.set(1, y, x, (rgb >> 8) & 0xFF);
                    out.set(2, y, x, rgb & 0xFF);
                }
            }
        }
        return out;
    }
}
