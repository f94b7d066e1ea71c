package nnc.runtime.serve;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;
import nnc.runtime.model.Serving;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** Our PNG and PGM readers against ImageIO, and the conversions to a model's image shape. */
class ImagesTest {
    static final float SIXTEEN_BIT_TOLERANCE = 0.5f;
    /** 0.299 + 0.587 + 0.114 is 1 only up to float rounding. */
    static final float LUMA_TOLERANCE = 1e-3f;

    @ParameterizedTest(name = "BufferedImage type {0}")
    @ValueSource(ints = {BufferedImage.TYPE_BYTE_GRAY, BufferedImage.TYPE_INT_RGB, BufferedImage.TYPE_INT_ARGB,
        BufferedImage.TYPE_3BYTE_BGR, BufferedImage.TYPE_USHORT_GRAY, BufferedImage.TYPE_BYTE_BINARY,
        BufferedImage.TYPE_BYTE_INDEXED})
    void ourPngReaderAgreesWithImageIo(int type) throws Exception {
        BufferedImage img = new BufferedImage(13, 7, type);
        SplittableRandom rng = new SplittableRandom(type);
        for (int y = 0; y < 7; y++) {
            for (int x = 0; x < 13; x++) {
                img.setRGB(x, y, rng.nextInt(1 << 24));
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(img, "png", out);
        byte[] png = out.toByteArray();
        assertTrue(Png.isPng(png));
        Raster ours = Png.decode(png);
        // ImageIO calls a palette of greys RGB; ours reads it as grey
        Raster theirs = Images.imageIo(png).withChannels(ours.channels());
        assertEquals(type == BufferedImage.TYPE_BYTE_GRAY || type == BufferedImage.TYPE_USHORT_GRAY
                || type == BufferedImage.TYPE_BYTE_BINARY ? 1 : 3, ours.channels(), "channels");
        assertEquals(13, ours.width());
        assertEquals(7, ours.height());
        assertArrayEquals(theirs.values(), ours.values(), type == BufferedImage.TYPE_USHORT_GRAY ? SIXTEEN_BIT_TOLERANCE
                : type == BufferedImage.TYPE_BYTE_BINARY ? LUMA_TOLERANCE : 0f);
    }

    @Test
    void pgmInBothEncodings() throws Exception {
        Raster text = raster("P2\n# a comment\n3 2\n255\n0 128 255\n1 2 3\n".getBytes(StandardCharsets.US_ASCII));
        assertArrayEquals(new float[] {0, 128, 255, 1, 2, 3}, text.values());
        byte[] binary = "P5 2 1 15\n".getBytes(StandardCharsets.US_ASCII);
        byte[] file = new byte[binary.length + 2];
        System.arraycopy(binary, 0, file, 0, binary.length);
        file[binary.length] = 15;
        file[binary.length + 1] = 5;
        assertArrayEquals(new float[] {255, 85}, raster(file).values());
        assertThrows(InputException.class, () -> raster("P5 2 2 255\n\u0001".getBytes(StandardCharsets.ISO_8859_1)));
    }

    private static Raster raster(byte[] file) throws InputException {
        return Images.netpbm(file);
    }

    @Test
    void greyFromRgbIsLumaAndShrinkingAveragesAreas() {
        Raster rgb = new Raster(3, 1, 1, new float[] {255, 0, 0});
        assertEquals(0.299f * 255, rgb.withChannels(1).values()[0], 1e-4f);
        Raster grey = new Raster(1, 2, 4, new float[] {0, 10, 20, 30, 40, 50, 60, 70});
        assertArrayEquals(new float[] {25, 45}, grey.resized(1, 2).values(), 1e-5f);
        assertArrayEquals(new float[] {0, 0, 0, 0}, new Raster(1, 1, 1).resized(2, 2).values());
        Raster up = new Raster(1, 1, 2, new float[] {0, 100}).resized(1, 4);
        assertArrayEquals(new float[] {0, 25, 75, 100}, up.values(), 1e-4f);
    }
}
