package nnc.spark;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import nnc.compiler.CompileResult;
import nnc.compiler.NncCompiler;
import nnc.runtime.data.DatasetPaths;
import nnc.runtime.data.Idx;
import nnc.runtime.data.IdxDataset;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/** One local Spark for the module's tests (a JVM holds one SparkContext), and MNIST as rows. */
final class SparkTests {
    private static SparkSession spark;

    private SparkTests() {
    }

    /** Two task threads, and a task may fail twice ({@code local[N,F]}: local mode's spark.task.maxFailures). */
    static synchronized SparkSession spark() {
        if (spark == null) {
            spark = SparkSession.builder().master("local[2,2]").appName("nnc-spark-tests")
                    .config("spark.ui.enabled", "false")
                    .config("spark.driver.host", "127.0.0.1")
                    .config("spark.driver.bindAddress", "127.0.0.1")
                    .config("spark.sql.shuffle.partitions", "4")
                    .getOrCreate();
        }
        return spark;
    }

    static Path root() {
        return Path.of(System.getProperty("nnc.root", "..")).toAbsolutePath().normalize();
    }

    static CompileResult compile(String text, String name) {
        CompileResult r = NncCompiler.compile(name, text, NncCompiler.Options.defaults());
        if (!r.ok()) {
            throw new AssertionError(r.render());
        }
        return r;
    }

    static CompileResult compileFile(String relative) throws IOException {
        return compile(Files.readString(root().resolve(relative)), Path.of(relative).getFileName().toString());
    }

    /** MNIST pixels 0-255 and labels of one split ("train" or "t10k"), the first {@code n}. */
    record Mnist(int n, float[] pixels, int[] labels) {
        float[] sample(int i) {
            float[] s = new float[784];
            System.arraycopy(pixels, i * 784, s, 0, 784);
            return s;
        }
    }

    static Mnist mnist(String split, int n) throws IOException {
        Path dir = DatasetPaths.standard(List.of()).find("mnist", IdxDataset::isComplete);
        assertNotNull(dir, "MNIST is needed: ./nnc fetch mnist");
        Idx.Array images = Idx.read(dir.resolve(split + "-images-idx3-ubyte"));
        Idx.Array labels = Idx.read(dir.resolve(split + "-labels-idx1-ubyte"));
        float[] px = new float[n * 784];
        int[] lab = new int[n];
        for (int i = 0; i < n * 784; i++) {
            px[i] = images.data()[i] & 0xFF;
        }
        for (int i = 0; i < n; i++) {
            lab[i] = labels.data()[i] & 0xFF;
        }
        return new Mnist(n, px, lab);
    }

    /** Rows (id int, pixels array&lt;float&gt;, label int). */
    static Dataset<Row> frame(Mnist m) {
        List<Row> rows = new ArrayList<>(m.n());
        for (int i = 0; i < m.n(); i++) {
            List<Float> px = new ArrayList<>(784);
            for (int j = 0; j < 784; j++) {
                px.add(m.pixels()[i * 784 + j]);
            }
            rows.add(RowFactory.create(i, px, m.labels()[i]));
        }
        StructType schema = DataTypes.createStructType(List.of(
                DataTypes.createStructField("id", DataTypes.IntegerType, false),
                DataTypes.createStructField("pixels", DataTypes.createArrayType(DataTypes.FloatType, false), false),
                DataTypes.createStructField("label", DataTypes.IntegerType, false)));
        return spark().createDataFrame(rows, schema);
    }
}
