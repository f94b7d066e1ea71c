package nnc.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import nnc.runtime.model.CompiledModel;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.Test;

/**
 * The same predictions with two executor JVMs ({@code local-cluster[2,1,1024]}): the model
 * compiled in memory travels as class files and is defined in processes that never compiled it.
 * Spark's workers launch executors from {@code SPARK_HOME/jars}; the test builds that folder
 * from its own class path (links to the jars; the module folders go on
 * {@code spark.executor.extraClassPath}). surefire sets {@code SPARK_HOME} and
 * {@code SPARK_SCALA_VERSION} (spark/pom.xml).
 */
class LocalClusterTest {
    @Test
    void predictionsOnTwoExecutorJvmsMatchTheTypedApi() throws Exception {
        String home = System.getenv("SPARK_HOME");
        assertTrue(home != null, "SPARK_HOME is set by surefire (spark/pom.xml)");
        List<String> dirs = new ArrayList<>();
        Path jars = Files.createDirectories(Path.of(home, "jars"));
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path p = Path.of(entry).toAbsolutePath();
            if (Files.isDirectory(p)) {
                dirs.add(p.toString());
            } else if (entry.endsWith(".jar") && Files.isRegularFile(p)) {
                Path link = jars.resolve(p.getFileName());
                if (!Files.exists(link, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                    Files.createSymbolicLink(link, p);
                }
            }
        }
        Files.writeString(Path.of(home, "RELEASE"), "Spark 4.2.0 (the jars of nnc-spark's test class path)\n");
        SparkTests.stop();
        SparkSession spark = SparkSession.builder().master("local-cluster[2,1,1024]").appName("nnc-local-cluster")
                .config("spark.ui.enabled", "false")
                .config("spark.driver.host", "127.0.0.1")
                .config("spark.driver.bindAddress", "127.0.0.1")
                .config("spark.executor.extraClassPath", String.join(File.pathSeparator, dirs))
                .config("spark.executor.extraJavaOptions", "--add-modules jdk.incubator.vector")
                // The executors run on this JVM's JDK (25), whatever JAVA_HOME says (Maven's may be 17).
                .config("spark.executorEnv.JAVA_HOME", System.getProperty("java.home"))
                .getOrCreate();
        try {
            CompiledModel model = SparkTests.compileFile("samples/embedding-app/src/main/nn/digits.nn").newModel();
            model.loadWeights(SparkTests.root().resolve("samples/embedding-app/src/main/resources/digits.nnw"));
            SparkTests.Mnist test = SparkTests.mnist("t10k", 10_000);
            Dataset<Row> frame = SparkTests.frame(spark, test, 4, PredictTest.shuffled(test.n()));
            List<Row> rows = NncSpark.predict(frame, "pixels", "digit", model, true)
                    .withColumn("part", functions.spark_partition_id())
                    .select("id", "digit", "digit_probability", "digit_outputs", "part").collectAsList();
            assertEquals(test.n(), rows.size());
            assertEquals(3, spark.sparkContext().statusTracker().getExecutorInfos().length,
                    "two executors and the driver");
            PredictTest.assertSameAsTypedApi(rows, model, test);
        } finally {
            spark.stop();
        }
    }
}
