package nnc.runtime.serve;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import nnc.runtime.data.Idx;
import nnc.runtime.model.ModelSpec;
import nnc.runtime.model.Serving;

/**
 * Raw model inputs read from files, by content: PNG, JPEG, GIF, BMP and PGM/PPM images
 * (converted and resized to the model's image shape), IDX arrays (plain or gzipped; one sample
 * per item of the first dimension) and CSV rows (the input's values, optionally followed by the
 * target columns, which are ignored). Values stay raw: the model preprocesses them itself.
 */
public final class Inputs {
    private Inputs() {
    }

    /** {@code count} raw samples, {@code values[count][inputSize]}, each with a name for the output. */
    public record Batch(List<String> names, float[] values, int count) {
    }

    /** Reads every file, in order. */
    public static Batch read(List<Path> files, ModelSpec spec) throws InputException {
        List<String> names = new ArrayList<>();
        List<float[]> samples = new ArrayList<>();
        for (Path f : files) {
            byte[] b;
            try {
                b = Files.readAllBytes(f);
            } catch (NoSuchFileException e) {
                throw new InputException(f + ": no such file");
            } catch (IOException e) {
                throw new InputException(f + ": cannot read: " + e.getMessage());
            }
            try {
                readOne(f, b, spec, names, samples);
            } catch (InputException e) {
                throw e.getMessage().startsWith(f.toString()) ? e : new InputException(f + ": " + e.getMessage());
            }
        }
        return batch(names, samples, spec.inputSize());
    }

    /**
     * About how many samples the files hold, from their first bytes (an image is one, an IDX
     * file its first dimension, a text file a row per line), to choose kernels before the model
     * is loaded. Unreadable files count one; reading them properly reports the problem.
     */
    public static long estimateCount(List<Path> files) {
        long n = 0;
        for (Path f : files) {
            try (java.io.InputStream in = new java.io.BufferedInputStream(Files.newInputStream(f))) {
                in.mark(8);
                byte[] head = in.readNBytes(8);
                in.reset();
                if (Images.isImage(head)) {
                    n++;
                } else if (head.length > 2 && (head[0] & 0xFF) == 0x1f && (head[1] & 0xFF) == 0x8b) {
                    n += idxItems(new java.util.zip.GZIPInputStream(in).readNBytes(8));
                } else if (isIdx(head)) {
                    n += idxItems(head);
                } else {
                    n += Math.max(1, new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().count() - 1);
                }
            } catch (IOException e) {
                n++;
            }
        }
        return n;
    }

    private static long idxItems(byte[] head) {
        return head.length == 8 && head[3] > 1 ? java.nio.ByteBuffer.wrap(head, 4, 4).getInt() & 0xFFFFFFFFL : 1;
    }

    /** One sample from numbers given as text ({@code --input 0.5,0.8,0.2}). */
    public static Batch values(List<String> numbers, ModelSpec spec) throws InputException {
        float[] x = parseRow(numbers.toArray(String[]::new), "--input", spec.inputSize(), spec);
        return new Batch(List.of("input"), x, 1);
    }

    private static void readOne(Path f, byte[] b, ModelSpec spec, List<String> names, List<float[]> out)
            throws InputException {
        Serving.Image image = spec.serving().image();
        if (Images.isImage(b)) {
            if (image == null) {
                throw new InputException("an image, but " + spec.name() + " does not take images (its input is "
                        + spec.inputShapeText() + "; give CSV rows or an IDX file)");
            }
            names.add(f.toString());
            out.add(Images.sample(b, image));
        } else if (isIdx(b)) {
            idx(f, spec, names, out);
        } else {
            csv(f, b, spec, names, out);
        }
    }

    private static boolean isIdx(byte[] b) {
        boolean gzip = b.length > 2 && (b[0] & 0xFF) == 0x1f && (b[1] & 0xFF) == 0x8b;
        return gzip || (b.length > 4 && b[0] == 0 && b[1] == 0 && b[3] >= 1 && b[3] <= 4);
    }

    private static void idx(Path f, ModelSpec spec, List<String> names, List<float[]> out) throws InputException {
        Idx.Array a;
        try {
            a = Idx.read(f);
        } catch (IOException e) {
            throw new InputException(e.getMessage());
        }
        int items = a.dims().length == 1 ? 1 : a.dims()[0];
        int size = a.data().length / Math.max(1, items);
        if (size != spec.inputSize()) {
            throw new InputException("IDX items of shape " + Arrays.toString(a.dims().length == 1 ? a.dims()
                    : Arrays.copyOfRange(a.dims(), 1, a.dims().length)) + " (" + size + " values) do not fit "
                    + spec.name() + ", which takes " + spec.inputShapeText() + " (" + spec.inputSize() + " values)");
        }
        for (int i = 0; i < items; i++) {
            float[] x = new float[size];
            for (int j = 0; j < size; j++) {
                x[j] = a.data()[i * size + j] & 0xFF;
            }
            names.add(f + "#" + i);
            out.add(x);
        }
    }

    private static void csv(Path f, byte[] b, ModelSpec spec, List<String> names, List<float[]> out)
            throws InputException {
        String[] lines = new String(b, StandardCharsets.UTF_8).split("\r?\n");
        boolean first = true;
        int before = out.size();
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] cells = line.split(",");
            if (first && !isNumber(cells[0])) {
                first = false;
                continue;
            }
            first = false;
            names.add(f + ":" + (i + 1));
            out.add(parseRow(cells, f + ":" + (i + 1), spec.inputSize(), spec));
        }
        if (out.size() == before) {
            throw new InputException("no rows of numbers (inputs are images, IDX files or CSV rows)");
        }
    }

    private static float[] parseRow(String[] cells, String where, int size, ModelSpec spec) throws InputException {
        if (!isNumber(cells[0])) {
            throw new InputException(where + ": not a row of numbers ('" + abbreviate(String.join(",", cells))
                    + "'); inputs are images, IDX files or CSV rows");
        }
        if (cells.length != size && cells.length != size + spec.targetSize()) {
            throw new InputException(where + ": " + cells.length + " values, but " + spec.name() + " takes "
                    + size + " (shape " + spec.inputShapeText() + ")" + (spec.targetSize() > 0
                    ? ", optionally followed by " + spec.targetSize() + " target column" + (spec.targetSize() == 1 ? "" : "s")
                    : ""));
        }
        float[] x = new float[size];
        for (int j = 0; j < size; j++) {
            try {
                x[j] = Float.parseFloat(cells[j].strip());
            } catch (NumberFormatException e) {
                throw new InputException(where + ": value " + (j + 1) + " is not a number: '" + cells[j].strip() + "'");
            }
        }
        return x;
    }

    private static String abbreviate(String s) {
        return s.length() > 40 ? s.substring(0, 37) + "..." : s;
    }

    private static boolean isNumber(String s) {
        try {
            Float.parseFloat(s.strip());
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static Batch batch(List<String> names, List<float[]> samples, int size) {
        float[] all = new float[Math.multiplyExact(samples.size(), size)];
        for (int i = 0; i < samples.size(); i++) {
            System.arraycopy(samples.get(i), 0, all, i * size, size);
        }
        return new Batch(List.copyOf(names), all, samples.size());
    }
}
