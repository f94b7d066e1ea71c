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
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;

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

    /** Stops the shared local Spark (a test that needs another master); {@link #spark()} makes a new one. */
    static synchronized void stop() {
        if (spark != null) {
            spark.stop();
            spark = null;
        }
        SparkSession.clearActiveSession();
        SparkSession.clearDefaultSession();
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

    /**
     * Rows (id int, label int, pixels array&lt;float&gt;) in {@code partitions} partitions, through a
     * bean encoder (no boxing per pixel). {@code order} says which sample goes where (null: in
     * order), so a partition's samples need not be consecutive.
     */
    static Dataset<Row> frame(Mnist m, int partitions, int[] order) {
        return frame(spark(), m, partitions, order);
    }

    static Dataset<Row> frame(SparkSession session, Mnist m, int partitions, int[] order) {
        List<Sample> rows = new ArrayList<>(m.n());
        for (int k = 0; k < m.n(); k++) {
            int i = order == null ? k : order[k];
            Sample s = new Sample();
            s.setId(i);
            s.setLabel(m.labels()[i]);
            s.setPixels(m.sample(i));
            rows.add(s);
        }
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(session.sparkContext());
        return session.createDataFrame(sc.parallelize(rows, partitions), Sample.class);
    }

    static Dataset<Row> frame(Mnist m) {
        return frame(m, 1, null);
    }

    /** One MNIST row for the bean encoder. */
    public static final class Sample implements java.io.Serializable {
        private int id;
        private int label;
        private float[] pixels;

        public int getId() {
            return id;
        }

        public void setId(int id) {
            this.id = id;
        }

        public int getLabel() {
            return label;
        }

        public void setLabel(int label) {
            this.label = label;
        }

        public float[] getPixels() {
            return pixels;
        }

        public void setPixels(float[] pixels) {
            this.pixels = pixels;
        }
    }
}
