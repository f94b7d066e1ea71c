package nnc.spark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.List;
import nnc.runtime.model.CompiledModel;
import nnc.runtime.model.ModelSpec;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import scala.Tuple2;

/**
 * nnc models on Apache Spark: batch inference over a DataFrame, and synchronous data-parallel
 * training that takes the steps single-process training takes. See docs/spark.md.
 *
 * <pre>
 *   CompiledModel model = NncCompiler.compile(path, Options.defaults()).newModel();  // or MnistMlp.load(...)
 *   model.loadWeights(Path.of("runs/MnistMlp/latest/weights.nnw"));
 *   Dataset&lt;Row&gt; scored = NncSpark.predict(images, "pixels", "digit", model);
 *   // adds digit (the class index), digit_probability
 * </pre>
 */
public final class NncSpark {
    /** Rows a partition's model takes per call. */
    public static final int PREDICT_BATCH = 256;

    private NncSpark() {
    }

    /**
     * The DataFrame with the model's answer for each row of {@code inputCol}: for a classifier
     * {@code outputCol} (the class index, an int) and {@code outputCol_probability} (a float);
     * for a regression {@code outputCol}, the values (an array of floats). The inputs are raw
     * (what {@code model.predict} takes): arrays of numbers, ML vectors, or image bytes.
     */
    public static Dataset<Row> predict(Dataset<Row> df, String inputCol, String outputCol, CompiledModel model) {
        return predict(df, inputCol, outputCol, model, false);
    }

    /** As {@link #predict(Dataset, String, String, CompiledModel)}; {@code withOutputs} also adds
     *  {@code outputCol_outputs}, every class's probability (classifiers only). */
    public static Dataset<Row> predict(Dataset<Row> df, String inputCol, String outputCol, CompiledModel model,
                                       boolean withOutputs) {
        ModelSpec spec = model.spec();
        InputColumn input = InputColumn.of(df.schema(), inputCol, spec);
        StructType out = BatchPredict.schema(df.schema(), outputCol, spec, withOutputs);
        Broadcast<float[]> weights = context(df).broadcast(model.params.clone());
        return df.mapPartitions(new BatchPredict(ModelShip.of(model), weights, input, spec, withOutputs,
                PREDICT_BATCH), Encoders.row(out));
    }

    /**
     * Trains {@code model} (its parameters are the starting point: {@code initialize} or load
     * them first) on {@code df} by synchronous data parallelism; the parameters are in
     * {@code model.params} when it returns. The result does not depend on the number of
     * partitions beyond float rounding of the gradient sum (see docs/spark.md).
     *
     * @throws IllegalArgumentException for a column that is missing or of the wrong type, or a
     *                                  model with batch norm (its statistics are per batch)
     */
    public static FitResult fit(CompiledModel model, Dataset<Row> df, FitSpec spec) {
        ModelSpec ms = model.spec();
        if (ms.paramCount() != ms.trainableCount()) {
            throw new IllegalArgumentException(ms.name() + " has batch norm: each partition would normalize its "
                    + "share of the batch with its own statistics, which is not the single-process step; fit "
                    + "supports models without batch norm");
        }
        StructType schema = df.schema();
        InputColumn input = InputColumn.of(schema, spec.inputCol(), ms);
        int label = InputColumn.fieldIndex(schema, spec.labelCol());
        JavaRDD<Tuple2<Long, Row>> indexed;
        if (spec.indexCol() == null) {
            indexed = df.javaRDD().zipWithIndex().map(t -> new Tuple2<>((Long) t._2(), t._1()));
        } else {
            int ix = InputColumn.fieldIndex(schema, spec.indexCol());
            indexed = df.javaRDD().map(r -> new Tuple2<>(((Number) r.get(ix)).longValue(), r));
        }
        ModelShip ship = ModelShip.of(model);
        JavaRDD<Shard> shards = indexed.mapPartitionsWithIndex((p, rows) -> {
            ModelSpec own = ship.newModel().spec(); // specs do not travel: the executor's instance has it
            Iterator<Row> it = new Iterator<>() {
                public boolean hasNext() {
                    return rows.hasNext();
                }

                public Row next() {
                    Tuple2<Long, Row> t = rows.next();
                    Object[] v = new Object[] {t._1(), t._2().get(input.index), t._2().get(label)};
                    return RowFactory.create(v);
                }
            };
            return List.of(Shard.read(p, it, relocated(input), 2, 0, own, own.serving())).iterator();
        }, true).persist(StorageLevel.MEMORY_ONLY());
        try {
            List<long[]> sizes = shards.map(s -> new long[] {s.size(), s.size() == 0 ? 0 : s.ids[s.size() - 1],
                    s.size() == 0 ? 0 : s.ids[0]}).collect();
            long n = 0;
            long max = -1;
            long min = Long.MAX_VALUE;
            for (long[] s : sizes) {
                n += s[0];
                if (s[0] > 0) {
                    max = Math.max(max, s[1]);
                    min = Math.min(min, s[2]);
                }
            }
            if (n == 0) {
                throw new IllegalArgumentException("no training rows");
            }
            if (min != 0 || max != n - 1 || n > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("the sample indices must be 0 to " + (n - 1) + ", each once; they run "
                        + "from " + min + " to " + max);
            }
            return new DataParallel(context(df), model, spec, shards, (int) n).run();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            shards.unpersist(false);
        }
    }

    /** The input column as the shard reader sees it: field 1 of (index, input, label). */
    private static InputColumn relocated(InputColumn c) {
        return c.at(1);
    }

    static JavaSparkContext context(Dataset<Row> df) {
        return JavaSparkContext.fromSparkContext(df.sparkSession().sparkContext());
    }
}
