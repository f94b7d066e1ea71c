package nnc.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import nnc.runtime.model.CompiledModel;
import nnc.runtime.model.Prediction;
import org.apache.spark.ml.linalg.VectorUDT;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Spark predictions against the typed API's: the trained digits model of the embedding sample
 * on 10,000 MNIST test rows, bit for bit, from arrays, ML vectors and PNG bytes.
 */
class PredictTest {
    static CompiledModel model;
    static SparkTests.Mnist test;

    @BeforeAll
    static void load() throws Exception {
        model = SparkTests.compileFile("samples/embedding-app/src/main/nn/digits.nn").newModel();
        model.loadWeights(SparkTests.root().resolve("samples/embedding-app/src/main/resources/digits.nnw"));
        test = SparkTests.mnist("t10k", 10_000);
    }

    @Test
    void tenThousandRowsMatchTheTypedApiBitForBit() {
        int n = test.n();
        float[] expected = new float[n * 10];
        model.predict(test.pixels(), n, expected);
        long t0 = System.nanoTime();
        Dataset<Row> frame = SparkTests.frame(test).repartition(3).cache();
        frame.count();
        long t1 = System.nanoTime();
        Dataset<Row> scored = NncSpark.predict(frame, "pixels", "digit", model, true);
        List<Row> rows = scored.select("id", "digit", "digit_probability", "digit_outputs").collectAsList();
        long t2 = System.nanoTime();
        System.out.printf("frame %.1f s, predict and collect %.1f s%n", (t1 - t0) / 1e9, (t2 - t1) / 1e9);
        assertEquals(n, rows.size());
        int right = 0;
        for (Row r : rows) {
            int id = r.getInt(0);
            Prediction p = model.classify(test.sample(id));
            assertEquals(p.index(), r.getInt(1), "row " + id);
            assertEquals(Float.floatToIntBits(p.probability()), Float.floatToIntBits(r.getFloat(2)), "row " + id);
            List<Float> out = r.getList(3);
            for (int j = 0; j < 10; j++) {
                assertEquals(Float.floatToIntBits(expected[id * 10 + j]), Float.floatToIntBits(out.get(j)),
                        "row " + id + " class " + j);
            }
            right += r.getInt(1) == test.labels()[id] ? 1 : 0;
        }
        assertTrue(right > 9_600, "accuracy " + right / 100.0 + "%: the trained digits model does about 97%");
    }

    @Test
    void mlVectorsAndPngBytesGiveTheSameAnswers() throws Exception {
        int n = 40;
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            float[] s = test.sample(i);
            double[] d = new double[784];
            BufferedImage img = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
            for (int j = 0; j < 784; j++) {
                d[j] = s[j];
                img.getRaster().setSample(j % 28, j / 28, 0, (int) s[j]);
            }
            ByteArrayOutputStream png = new ByteArrayOutputStream();
            ImageIO.write(img, "png", png);
            rows.add(RowFactory.create(i, Vectors.dense(d), png.toByteArray()));
        }
        StructType schema = DataTypes.createStructType(List.of(
                DataTypes.createStructField("id", DataTypes.IntegerType, false),
                DataTypes.createStructField("features", new VectorUDT(), false),
                DataTypes.createStructField("png", DataTypes.BinaryType, false)));
        Dataset<Row> df = SparkTests.spark().createDataFrame(rows, schema).repartition(2);
        for (String col : List.of("features", "png")) {
            for (Row r : NncSpark.predict(df, col, "c", model).select("id", "c", "c_probability").collectAsList()) {
                Prediction p = model.classify(test.sample(r.getInt(0)));
                assertEquals(p.index(), r.getInt(1), col);
                assertEquals(Float.floatToIntBits(p.probability()), Float.floatToIntBits(r.getFloat(2)), col);
            }
        }
    }

    @Test
    void badColumnsAreClearErrorsBeforeAnyJob() {
        Dataset<Row> df = SparkTests.frame(new SparkTests.Mnist(1, new float[784], new int[1]));
        assertEquals("no column 'pix'; the columns are id, pixels, label",
                assertThrows(IllegalArgumentException.class, () -> NncSpark.predict(df, "pix", "c", model)).getMessage());
        assertEquals("column 'label' is int; Digits reads arrays of numbers, ML vectors or image bytes",
                assertThrows(IllegalArgumentException.class, () -> NncSpark.predict(df, "label", "c", model)).getMessage());
        assertEquals("the output column 'label' exists already",
                assertThrows(IllegalArgumentException.class, () -> NncSpark.predict(df, "pixels", "label", model))
                        .getMessage());
    }
}
