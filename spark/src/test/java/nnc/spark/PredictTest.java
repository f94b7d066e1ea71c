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
import org.apache.spark.ml.linalg.VectorUDT;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Spark predictions against the typed API's: the trained digits model of the embedding sample
 * on 10,000 MNIST test rows, bit for bit against the batched {@code model.predict(in, n, out)},
 * from arrays, ML vectors and PNG bytes. (The one-sample {@code classify} can differ from a
 * batch in the last bit of a probability: its GEMM runs the n = 1 path.)
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

    /**
     * Against the typed API fed the same batches: each partition's rows, in order, 256 at a time
     * (a row's last bits depend on the batch's row count: nnc's GEMM takes another path for the
     * rows left over from its register blocks). Against one typed-API call over all 10,000 rows,
     * the classes are the same and the probabilities within a few ulps.
     */
    @Test
    void tenThousandRowsMatchTheTypedApiBitForBit() {
        int n = test.n();
        int[] order = shuffled(n);
        long t0 = System.nanoTime();
        Dataset<Row> frame = SparkTests.frame(test, 3, order).cache();
        frame.count();
        long t1 = System.nanoTime();
        Dataset<Row> scored = NncSpark.predict(frame, "pixels", "digit", model, true)
                .withColumn("part", functions.spark_partition_id());
        List<Row> rows = scored.select("id", "digit", "digit_probability", "digit_outputs", "part").collectAsList();
        long t2 = System.nanoTime();
        System.out.printf("frame %.1f s, predict and collect %.1f s%n", (t1 - t0) / 1e9, (t2 - t1) / 1e9);
        assertEquals(n, rows.size());
        assertSameAsTypedApi(rows, model, test);
    }

    /**
     * Rows (id, class, probability, outputs, partition) in partition order: bit-identical to the
     * typed API fed each partition's rows 256 at a time, and the classes of one call over all.
     */
    static void assertSameAsTypedApi(List<Row> rows, CompiledModel model, SparkTests.Mnist test) {
        int n = rows.size();
        float[] whole = new float[test.n() * 10];
        model.predict(test.pixels(), test.n(), whole);
        int right = 0;
        int differ = 0;
        double worst = 0;
        for (int from = 0; from < n; ) {
            int part = rows.get(from).getInt(4);
            int to = from;
            while (to < n && rows.get(to).getInt(4) == part) {
                to++;
            }
            float[] expected = typedApiInBatches(rows.subList(from, to), model, test);
            for (int k = from; k < to; k++) {
                Row r = rows.get(k);
                int id = r.getInt(0);
                int e = (k - from) * 10;
                int best = 0;
                for (int j = 1; j < 10; j++) {
                    best = expected[e + j] > expected[e + best] ? j : best;
                }
                assertEquals(best, r.getInt(1), "row " + id);
                assertEquals(Float.floatToIntBits(expected[e + best]), Float.floatToIntBits(r.getFloat(2)), "row " + id);
                List<Float> out = r.getList(3);
                for (int j = 0; j < 10; j++) {
                    assertEquals(Float.floatToIntBits(expected[e + j]), Float.floatToIntBits(out.get(j)),
                            "row " + id + " class " + j);
                    double d = Math.abs(whole[id * 10 + j] - out.get(j));
                    worst = Math.max(worst, d);
                    differ += d != 0 ? 1 : 0;
                }
                int wholeBest = 0;
                for (int j = 1; j < 10; j++) {
                    wholeBest = whole[id * 10 + j] > whole[id * 10 + wholeBest] ? j : wholeBest;
                }
                assertEquals(wholeBest, r.getInt(1), "row " + id + " against one call over all rows");
                right += r.getInt(1) == test.labels()[id] ? 1 : 0;
            }
            from = to;
        }
        System.out.printf("against one typed-API call over all rows: %d of %d probabilities differ, by at most %.3g%n",
                differ, n * 10, worst);
        assertTrue(worst < 1e-6, "largest difference " + worst);
        assertTrue(right > 9_600, "accuracy " + right / 100.0 + "%: the trained digits model does about 97%");
    }

    /** The typed API's batched predict over these rows' samples, 256 rows per call, as a partition runs them. */
    private static float[] typedApiInBatches(List<Row> rows, CompiledModel model, SparkTests.Mnist test) {
        float[] out = new float[rows.size() * 10];
        for (int from = 0; from < rows.size(); from += NncSpark.PREDICT_BATCH) {
            int k = Math.min(NncSpark.PREDICT_BATCH, rows.size() - from);
            float[] in = new float[k * 784];
            for (int i = 0; i < k; i++) {
                System.arraycopy(test.sample(rows.get(from + i).getInt(0)), 0, in, i * 784, 784);
            }
            float[] o = new float[k * 10];
            model.predict(in, k, o);
            System.arraycopy(o, 0, out, from * 10, k * 10);
        }
        return out;
    }

    static int[] shuffled(int n) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        nnc.runtime.train.Trainer.shuffle(order, new nnc.runtime.train.Rng(7));
        return order;
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
        Dataset<Row> df = SparkTests.spark().createDataFrame(
                org.apache.spark.api.java.JavaSparkContext.fromSparkContext(SparkTests.spark().sparkContext())
                        .parallelize(rows, n), schema);
        for (String col : List.of("features", "png")) {
            // One row per call here too: a partition's batches are of 1 row each (coalesced to 40 partitions).
            for (Row r : NncSpark.predict(df, col, "c", model, true).select("id", "c_outputs").collectAsList()) {
                float[] expected = new float[10];
                model.predict(test.sample(r.getInt(0)), 1, expected);
                List<Float> out = r.getList(1);
                for (int j = 0; j < 10; j++) {
                    assertEquals(Float.floatToIntBits(expected[j]), Float.floatToIntBits(out.get(j)), col);
                }
            }
        }
    }

    @Test
    void badColumnsAreClearErrorsBeforeAnyJob() {
        Dataset<Row> df = SparkTests.frame(new SparkTests.Mnist(1, new float[784], new int[1]));
        assertEquals("no column 'pix'; the columns are id, label, pixels",
                assertThrows(IllegalArgumentException.class, () -> NncSpark.predict(df, "pix", "c", model)).getMessage());
        assertEquals("column 'label' is int; Digits reads arrays of numbers, ML vectors or image bytes",
                assertThrows(IllegalArgumentException.class, () -> NncSpark.predict(df, "label", "c", model)).getMessage());
        assertEquals("the output column 'label' exists already",
                assertThrows(IllegalArgumentException.class, () -> NncSpark.predict(df, "pixels", "label", model))
                        .getMessage());
    }
}
