package nnc.spark;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.List;
import java.util.Locale;
import nnc.runtime.model.CompiledModel;
import nnc.runtime.train.TrainConfig;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

/**
 * The per-step cost of {@link NncSpark#fit} against the parameter count and partitions: what
 * docs/spark.md's cost model is fitted to. A measurement, not a test: it runs only with
 * {@code -Dnnc.spark.bench=true} and asserts nothing about time.
 *
 * <pre>
 *   mvn -B -o test -pl spark -am -Dsurefire.failIfNoSpecifiedTests=false -Dtest=StepCostBench -Dnnc.spark.bench=true
 * </pre>
 */
class StepCostBench {
    static final String[] MODELS = {
        "x -> linear(10)",
        "x -> linear(256) -> relu -> linear(128) -> relu -> linear(10)",
        "x -> linear(1024) -> relu -> linear(1024) -> relu -> linear(10)",
        "x -> linear(2048) -> relu -> linear(2048) -> relu -> linear(10)",
    };

    @Test
    void perStepCost() throws Exception {
        assumeTrue(Boolean.getBoolean("nnc.spark.bench"), "a measurement: -Dnnc.spark.bench=true");
        int steps = Integer.getInteger("nnc.spark.bench.steps", 60);
        SparkTests.Mnist data = SparkTests.mnist("train", 6_400);
        Dataset<Row> frame = SparkTests.frame(data, 4, PredictTest.shuffled(data.n())).cache();
        frame.count();
        for (String body : MODELS) {
            String text = "model M {\n    input x: [784]\n    " + body + "\n}\n"
                    + "data mnist = idx(\"mnist\") | normalize(mean: 0.1307, std: 0.3081)\n"
                    + "train M on mnist {\n    loss cross_entropy\n    optimizer adam(lr: 1e-3)\n"
                    + "    batch 64, shuffle\n    epochs 1\n    seed 42\n}\n";
            CompiledModel model = SparkTests.compile(text, "bench.nn").newModel();
            TrainConfig config = FitSpec.config(SparkTests.compile(text, "bench.nn").compilation());
            for (int partitions : new int[] {1, 2, 4}) {
                model.initialize(42);
                FitResult r = NncSpark.fit(model, frame.coalesce(partitions),
                        FitSpec.of(config, "pixels", "label").indexCol("id").maxSteps(steps));
                List<double[]> s = r.perStep().subList(steps / 3, steps);
                double[] wall = s.stream().mapToDouble(x -> x[1]).sorted().toArray();
                double[] comp = s.stream().mapToDouble(x -> x[2]).sorted().toArray();
                System.out.printf(Locale.ROOT, "params %,d (%.2f MB), %d partitions: step median %.1f ms "
                                + "(min %.1f, max %.1f), slowest partition's compute median %.2f ms%n",
                        model.spec().paramCount(), model.spec().paramCount() * 4 / 1e6, partitions,
                        wall[wall.length / 2], wall[0], wall[wall.length - 1], comp[comp.length / 2]);
            }
        }
    }
}
