package nnc.runtime.serve;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import nnc.runtime.data.CsvDataset;
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
    /** The largest input file read (as CSV files for training). */
    public static final long MAX_BYTES = CsvDataset.MAX_BYTES;

    private Inputs() {
    }

    /**
     * {@code count} raw samples, {@code values[count][inputSize]}, each with a name for the
     * output, and notes for standard error (images that were resized to the model's input).
     */
    public record Batch(List<String> names, float[] values, int count, List<String> notes) {
        public Batch(List<String> names, float[] values, int count) {
            this(names, values, count, List.of());
        }

        /** The notes as lines to print: the first three, then how many more. */
        public List<String> noteLines() {
            List<String> lines = new ArrayList<>(notes.subList(0, Math.min(3, notes.size())));
            if (notes.size() > 3) {
                lines.add("and " + (notes.size() - 3) + " more image" + (notes.size() == 4 ? "" : "s") + " resized");
            }
            return lines;
        }
    }

    /** Reads every file, in order. */
    public static Batch read(List<Path> files, ModelSpec spec) throws InputException {
        Names names = new Names();
        List<float[]> samples = new ArrayList<>();
        for (Path f : files) {
            readOne(f, bytes(f), spec, names, samples);
        }
        return batch(names, samples, spec.inputSize());
    }

    /** The samples of one file's contents ({@code f} names it); what {@link #read} does for each file. */
    public static Batch parse(Path f, byte[] contents, ModelSpec spec) throws InputException {
        Names names = new Names();
        List<float[]> samples = new ArrayList<>();
        readOne(f, contents, spec, names, samples);
        return batch(names, samples, spec.inputSize());
    }

    /** A file's bytes: a regular file (not a folder, not {@code /dev/zero}) of at most {@link #MAX_BYTES}. */
    private static byte[] bytes(Path f) throws InputException {
        try {
            if (Files.isDirectory(f)) {
                throw new InputException(f + " is a folder; give image, IDX or CSV files");
            }
            if (Files.exists(f) && !Files.isRegularFile(f)) {
                throw new InputException(f + " is not a regular file");
            }
            if (Files.size(f) > MAX_BYTES) {
                throw new InputException(f + ": larger than " + (MAX_BYTES >> 20) + " MiB; inputs are read whole");
            }
            return Files.readAllBytes(f);
        } catch (NoSuchFileException e) {
            throw new InputException(f + ": no such file");
        } catch (IOException e) {
            throw new InputException(f + ": cannot read: " + e.getMessage());
        }
    }

    /**
     * About how many samples the files hold, from their first bytes (an image is one, an IDX
     * file its first dimension, a text file a row per line), to choose kernels before the model
     * is loaded. Unreadable files count one; reading them properly reports the problem.
     */
    public static long estimateCount(List<Path> files) {
        long n = 0;
        for (Path f : files) {
            if (!Files.isRegularFile(f)) {
                n++;
                continue;
            }
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
                    n += Math.max(1, lines(in) - 1);
                }
            } catch (IOException e) {
                n++;
            }
        }
        return n;
    }

    /** The lines of a text, counted to {@link #MAX_BYTES} at most (reading properly refuses a larger file). */
    private static long lines(java.io.InputStream in) throws IOException {
        byte[] buf = new byte[1 << 16];
        long n = 1;
        long read = 0;
        for (int got; read < MAX_BYTES && (got = in.read(buf)) > 0; read += got) {
            for (int i = 0; i < got; i++) {
                n += buf[i] == '\n' ? 1 : 0;
            }
        }
        return n;
    }

    private static long idxItems(byte[] head) {
        return head.length == 8 && head[3] > 1 ? java.nio.ByteBuffer.wrap(head, 4, 4).getInt() & 0xFFFFFFFFL : 1;
    }

    /** One sample from numbers given as text ({@code --input 0.5,0.8,0.2}). */
    public static Batch values(List<String> numbers, ModelSpec spec) throws InputException {
        float[] x = parseRow(numbers.toArray(String[]::new), "--input", spec.inputSize(), spec, "value ");
        return new Batch(List.of("input"), x, 1);
    }

    private static void readOne(Path f, byte[] b, ModelSpec spec, Names names, List<float[]> out)
            throws InputException {
        try {
            readContents(f, b, spec, names, out);
        } catch (InputException e) {
            throw e.getMessage().startsWith(f.toString()) ? e : new InputException(f + ": " + e.getMessage());
        }
    }

    private static void readContents(Path f, byte[] b, ModelSpec spec, Names names, List<float[]> out)
            throws InputException {
        Serving.Image image = spec.serving().image();
        String named = imageName(f);
        if (Images.isImage(b)) {
            if (image == null) {
                throw new InputException("an image, but " + spec.name() + " does not take images (its input is "
                        + spec.inputShapeText() + "; give CSV rows or an IDX file)");
            }
            Raster r = Images.decode(b);
            if (r.height() != image.height() || r.width() != image.width()) {
                names.notes.add(f + ": a " + r.width() + "x" + r.height() + " image, resized to the model's "
                        + image.width() + "x" + image.height());
            }
            out.add(Images.fit(r, image));
            names.add(f.toString(), 0);
        } else if (isIdx(b)) {
            idx(f, spec, names, out);
        } else if (b.length > 2 && b[0] == 'P' && "147fF".indexOf(b[1]) >= 0 && Character.isWhitespace(b[2])) {
            // PBM (P1, P4), PAM (P7) and PFM (Pf, PF) would otherwise be read as CSV text
            throw new InputException("a Netpbm P" + (char) b[1] + " file, which nnc does not read: " + (image == null
                    ? spec.name() + " takes " + spec.inputShapeText() + "; give CSV rows or an IDX file"
                    : "give PNG, JPEG, GIF, BMP, PGM (P2, P5) or PPM (P3, P6) images"));
        } else if (named != null) {
            // Read as CSV, a damaged or mislabelled image would only say "no rows of numbers".
            throw new InputException(b.length == 0 ? "an empty file" : "named like a " + named
                    + " image, but it is not one (it does not start like any image nnc reads)");
        } else {
            csv(f, b, spec, names, out);
        }
    }

    /** The kind of image a file's name ending promises (.png, .jpg, ...), or null. */
    private static String imageName(Path f) {
        String n = f.getFileName() == null ? "" : f.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
        for (String[] kind : new String[][] {{".png", "PNG"}, {".jpg", "JPEG"}, {".jpeg", "JPEG"}, {".gif", "GIF"},
            {".bmp", "BMP"}, {".pgm", "PGM"}, {".ppm", "PPM"}}) {
            if (n.endsWith(kind[0])) {
                return kind[1];
            }
        }
        return null;
    }

    private static boolean isIdx(byte[] b) {
        boolean gzip = b.length > 2 && (b[0] & 0xFF) == 0x1f && (b[1] & 0xFF) == 0x8b;
        return gzip || (b.length > 4 && b[0] == 0 && b[1] == 0 && b[3] >= 1 && b[3] <= 4);
    }

    private static void idx(Path f, ModelSpec spec, Names names, List<float[]> out) throws InputException {
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
        float[] x = new float[a.data().length]; // every item, one after the other
        for (int j = 0; j < x.length; j++) {
            x[j] = a.data()[j] & 0xFF;
        }
        out.add(x);
        names.add(f + "#", items);
    }

    private static void csv(Path f, byte[] b, ModelSpec spec, Names names, List<float[]> out)
            throws InputException {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(b)).toString();
        } catch (CharacterCodingException e) {
            throw new InputException("not an image, an IDX file or CSV text (it is not UTF-8)");
        }
        String[] lines = text.split("\r?\n");
        boolean first = true;
        int before = out.size();
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] cells = line.split(",", -1);
            if (first && !CsvDataset.startsWithNumber(line)) {
                first = false;
                continue;
            }
            first = false;
            out.add(parseRow(cells, f + ":" + (i + 1), spec.inputSize(), spec, "column "));
            names.add(f + ":" + (i + 1), 0);
        }
        if (out.size() == before) {
            throw new InputException("no rows of numbers (inputs are images, IDX files or CSV rows)");
        }
    }

    /** The first {@code size} values of a row; {@code unit} ("value ", "column ") names a bad one's place. */
    private static float[] parseRow(String[] cells, String where, int size, ModelSpec spec, String unit)
            throws InputException {
        if (!CsvDataset.startsWithNumber(cells[0].strip())) {
            throw new InputException(where + ": not a row of numbers ('" + abbreviate(String.join(",", cells))
                    + "'); " + (where.equals("--input") ? "--input takes numbers separated by commas"
                    : "inputs are images, IDX files or CSV rows"));
        }
        if (cells.length != size && cells.length != size + spec.targetSize()) {
            throw new InputException(where + ": " + cells.length + (cells.length == 1 ? " value" : " values")
                    + ", but " + spec.name() + " takes "
                    + size + " (shape " + spec.inputShapeText() + ")" + (spec.targetSize() > 0 && !where.equals("--input")
                    ? ", optionally followed by " + spec.targetSize() + " target column" + (spec.targetSize() == 1 ? "" : "s")
                    : ""));
        }
        float[] x = new float[size];
        for (int j = 0; j < size; j++) {
            Float v = CsvDataset.parse(cells[j].strip());
            if (v == null) {
                throw new InputException(where + ": " + unit + (j + 1) + ": " + CsvDataset.problem(cells[j].strip()));
            }
            x[j] = v;
        }
        return x;
    }

    private static String abbreviate(String s) {
        return s.length() > 40 ? s.substring(0, 37) + "..." : s;
    }

    /** The chunks of samples (an image, a CSV row, all items of an IDX file) in one array. */
    private static Batch batch(Names names, List<float[]> chunks, int size) throws InputException {
        long total = 0;
        for (float[] c : chunks) {
            total += c.length;
        }
        if (total > Idx.MAX_ELEMENTS) {
            throw new InputException("the inputs hold " + String.format(java.util.Locale.ROOT, "%,d", total)
                    + " values, more than one array can (" + String.format(java.util.Locale.ROOT, "%,d",
                    Idx.MAX_ELEMENTS) + "); predict on fewer at a time");
        }
        float[] all = new float[(int) total];
        int at = 0;
        for (float[] c : chunks) {
            System.arraycopy(c, 0, all, at, c.length);
            at += c.length;
        }
        return new Batch(names, all, (int) (total / size), List.copyOf(names.notes));
    }

    /**
     * The samples' names, made when asked: a file's name for an image or a CSV row
     * ({@code file:line}), {@code file#i} for the items of an IDX file (millions of them cost no
     * strings).
     */
    private static final class Names extends java.util.AbstractList<String> {
        private final List<String> bases = new ArrayList<>();
        /** Where each base's samples start; numbered bases name {@code counts} samples, others one. */
        private final List<Integer> starts = new ArrayList<>();
        private final List<Integer> counts = new ArrayList<>();
        /** Notes on the inputs read (resized images), for standard error. */
        private final List<String> notes = new ArrayList<>();
        private int size;

        /** One name ({@code numbered} 0), or {@code numbered} names {@code base + i}. */
        void add(String base, int numbered) {
            bases.add(base);
            starts.add(size);
            counts.add(numbered);
            size += Math.max(1, numbered);
        }

        @Override
        public String get(int i) {
            java.util.Objects.checkIndex(i, size);
            int k = java.util.Collections.binarySearch(starts, i);
            k = k >= 0 ? k : -k - 2;
            return counts.get(k) == 0 ? bases.get(k) : bases.get(k) + (i - starts.get(k));
        }

        @Override
        public int size() {
            return size;
        }
    }
}
