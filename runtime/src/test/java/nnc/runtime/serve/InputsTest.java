package nnc.runtime.serve;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import nnc.runtime.model.ModelSpec;
import nnc.runtime.model.Objective;
import nnc.runtime.model.Serving;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading raw inputs (CSV rows, IDX items, --input values) and printing predictions. */
class InputsTest {
    @TempDir
    Path tmp;

    static ModelSpec spec(int in, int out, Serving.Output kind, List<String> classes) {
        Serving s = new Serving(new float[] {1f}, new float[] {0f}, in == 4 ? new Serving.Image(1, 2, 2) : null, kind,
                classes, "none");
        return new ModelSpec("M", "m.nn", new int[] {in}, new int[] {out},
                kind == Serving.Output.VALUES ? Objective.REGRESS : Objective.CLASSIFY, List.of(), 0, 0, 0L, s);
    }

    @Test
    void csvRowsWithOrWithoutTargetsAndAHeader() throws Exception {
        Path csv = Files.writeString(tmp.resolve("x.csv"), "a,b,c,label\n# comment\n1,2,3,0\n\n4,5,6\n");
        Inputs.Batch b = Inputs.read(List.of(csv), spec(3, 2, Serving.Output.LOGITS, List.of()));
        assertEquals(2, b.count());
        assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, b.values());
        assertEquals(List.of(csv + ":3", csv + ":5"), b.names());
        Path bad = Files.writeString(tmp.resolve("bad.csv"), "1,2\n");
        InputException e = assertThrows(InputException.class, () -> Inputs.read(List.of(bad),
                spec(3, 2, Serving.Output.LOGITS, List.of())));
        assertTrue(e.getMessage().contains("2 values, but M takes 3 (shape [3])"), e.getMessage());
        Path one = Files.writeString(tmp.resolve("one.csv"), "1\n");
        e = assertThrows(InputException.class, () -> Inputs.read(List.of(one), spec(3, 2, Serving.Output.LOGITS, List.of())));
        assertTrue(e.getMessage().contains(":1: 1 value, but M takes 3"), e.getMessage());
    }

    @Test
    void resizedImagesAreNoted() throws Exception {
        List<Path> files = new java.util.ArrayList<>();
        for (int i = 0; i < 5; i++) {
            java.awt.image.BufferedImage img = new java.awt.image.BufferedImage(i == 0 ? 2 : 3, 2,
                    java.awt.image.BufferedImage.TYPE_BYTE_GRAY);
            Path f = tmp.resolve("img" + i + ".png");
            javax.imageio.ImageIO.write(img, "png", f.toFile());
            files.add(f);
        }
        Inputs.Batch b = Inputs.read(files, spec(4, 2, Serving.Output.LOGITS, List.of()));
        assertEquals(5, b.count());
        assertEquals(4, b.notes().size(), "the 2x2 image fits as it is");
        assertEquals(files.get(1) + ": a 3x2 image, resized to the model's 2x2", b.notes().get(0));
        assertEquals(List.of(b.notes().get(0), b.notes().get(1), b.notes().get(2), "and 1 more image resized"),
                b.noteLines());
    }

    @Test
    void aFileNamedLikeAnImageThatIsNotOneSaysSo() throws Exception {
        // Read as CSV, they said "no rows of numbers (inputs are images, IDX files or CSV rows)".
        Path text = Files.writeString(tmp.resolve("digit.PNG"), "hello\n");
        InputException e = assertThrows(InputException.class, () -> Inputs.read(List.of(text),
                spec(4, 2, Serving.Output.LOGITS, List.of())));
        assertEquals(text + ": named like a PNG image, but it is not one (it does not start like any image nnc reads)",
                e.getMessage());
        Path empty = Files.write(tmp.resolve("x.jpg"), new byte[0]);
        e = assertThrows(InputException.class, () -> Inputs.read(List.of(empty), spec(4, 2, Serving.Output.LOGITS, List.of())));
        assertEquals(empty + ": an empty file", e.getMessage());
        Path csv = Files.writeString(tmp.resolve("rows.csv"), "1,2,3,4\n");
        assertEquals(1, Inputs.read(List.of(csv), spec(4, 2, Serving.Output.LOGITS, List.of())).count(), "CSV still CSV");
    }

    @Test
    void netpbmKindsThatAreNotReadAreNamedNotReadAsCsv() throws Exception {
        // A PBM file's pixel rows are numbers: read as CSV they gave "p1.pbm:2: 4 values, but M takes 4".
        for (String kind : new String[] {"P1", "P4", "P7", "Pf", "PF"}) {
            Path f = Files.writeString(tmp.resolve(kind + ".pnm"), kind + "\n2 2\n0 1\n1 0\n");
            InputException e = assertThrows(InputException.class, () -> Inputs.read(List.of(f),
                    spec(4, 2, Serving.Output.LOGITS, List.of())), kind);
            assertEquals(f + ": a Netpbm " + kind + " file, which nnc does not read: give PNG, JPEG, GIF, BMP, "
                    + "PGM (P2, P5) or PPM (P3, P6) images", e.getMessage());
            e = assertThrows(InputException.class, () -> Inputs.read(List.of(f),
                    spec(3, 2, Serving.Output.LOGITS, List.of())), kind);
            assertEquals(f + ": a Netpbm " + kind + " file, which nnc does not read: M takes [3]; give CSV rows or an "
                    + "IDX file", e.getMessage());
        }
    }

    @Test
    void idxItemsAreSamples() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeInt(0x00000803);
        out.writeInt(2);
        out.writeInt(2);
        out.writeInt(2);
        out.write(new byte[] {0, 1, 2, (byte) 255, 4, 5, 6, 7});
        Path idx = Files.write(tmp.resolve("images-idx3-ubyte"), bytes.toByteArray());
        Inputs.Batch b = Inputs.read(List.of(idx), spec(4, 2, Serving.Output.LOGITS, List.of()));
        assertEquals(2, b.count());
        assertArrayEquals(new float[] {0, 1, 2, 255, 4, 5, 6, 7}, b.values());
        assertEquals(idx + "#1", b.names().get(1));
        assertEquals(2, Inputs.estimateCount(List.of(idx)));
        assertThrows(InputException.class, () -> Inputs.read(List.of(idx), spec(3, 2, Serving.Output.LOGITS, List.of())));
    }

    @Test
    void valuesFromTheCommandLine() throws Exception {
        assertArrayEquals(new float[] {0.5f, -1f}, Inputs.values(List.of("0.5", " -1"), spec(2, 1, Serving.Output.VALUES,
                List.of())).values());
        InputException e = assertThrows(InputException.class, () -> Inputs.values(List.of("0.5", "x"),
                spec(2, 1, Serving.Output.VALUES, List.of())));
        assertTrue(e.getMessage().contains("--input: value 2: 'x' is not a number"), e.getMessage());
    }

    @Test
    void reportsInTextJsonAndCsv() {
        ModelSpec spec = spec(1, 3, Serving.Output.LOGITS, List.of("cat", "dog", "bird"));
        Inputs.Batch in = new Inputs.Batch(List.of("a,b.png"), new float[] {0}, 1);
        float[] y = {0.1f, 0.7f, 0.2f};
        assertEquals("a,b.png: class 1 dog (probability 0.7)\n", print(spec, Report.Format.TEXT, 1, in, y));
        assertEquals("a,b.png: 1 dog (0.7), 2 bird (0.2)\n", print(spec, Report.Format.TEXT, 2, in, y));
        assertEquals("[\n{\"input\": \"a,b.png\", \"class\": 1, \"label\": \"dog\", \"probability\": 0.7}\n]\n",
                print(spec, Report.Format.JSON, 1, in, y));
        assertEquals("input,class,label,probability,class_2,label_2,probability_2\n\"a,b.png\",1,dog,0.7,2,bird,0.2\n",
                print(spec, Report.Format.CSV, 2, in, y));
        ModelSpec regression = spec(1, 2, Serving.Output.VALUES, List.of());
        assertEquals("a,b.png: 0.1 0.7\n", print(regression, Report.Format.TEXT, 1, in, new float[] {0.1f, 0.7f}));
        assertEquals("[\n{\"input\": \"a,b.png\", \"outputs\": [\"NaN\"]}\n]\n",
                print(spec(1, 1, Serving.Output.VALUES, List.of()), Report.Format.JSON, 1, in, new float[] {Float.NaN}));
        assertEquals("[\n{\"input\": \"a,b.png\", \"outputs\": [\"Infinity\", \"-Infinity\"]}\n]\n",
                print(regression, Report.Format.JSON, 1, in, new float[] {Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY}));
    }

    private static String print(ModelSpec spec, Report.Format f, int top, Inputs.Batch in, float[] y) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        new Report(spec, f, top, new PrintStream(bytes, true, StandardCharsets.UTF_8)).print(in, y, true);
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
