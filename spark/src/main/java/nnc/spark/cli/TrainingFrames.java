package nnc.spark.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import nnc.compiler.Compilation;
import nnc.compiler.cli.UserError;
import nnc.compiler.data.DataLoader;
import nnc.compiler.data.FetchException;
import nnc.runtime.data.DatasetPaths;
import nnc.runtime.data.IdxDataset;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The training rows of {@code nnc train --spark}: the .nn file's own data (loaded by nnc, the
 * validation split held out as {@code nnc train} holds it out), an IDX folder, or a Parquet or CSV
 * file read by Spark. Inputs stay raw: {@code fit} applies the model's preprocessing.
 *
 * @param indexCol the sample index column, or null for the row order
 * @param test     the test set to report on, or null
 */
record TrainingFrames(Dataset<Row> train, long size, String inputCol, String labelCol, String indexCol,
                      nnc.runtime.data.Dataset test) {

    static TrainingFrames declared(SparkSession spark, Compilation c, Path base) {
        IdxDataset.Splits splits;
        try {
            splits = DataLoader.load(c.data(), base, DatasetPaths.standard(List.of()), true, System.err);
        } catch (FetchException e) {
            throw new UserError("nnc: " + e.getMessage() + (e.hint() == null ? "" : "\n  = hint: " + e.hint()));
        }
        nnc.runtime.data.Dataset train = splits.train();
        double split = c.train().validationSplit();
        if (split > 0) {
            train = train.slice(0, train.size() - (int) Math.round(train.size() * split));
        }
        return of(spark, train, splits.test());
    }

    static TrainingFrames read(SparkSession spark, String data, String input, String label, Compilation c, Path base)
            throws IOException {
        Path dir = Path.of(data);
        if (Files.isDirectory(dir) && IdxDataset.isComplete(dir)) {
            IdxDataset.Splits s = IdxDataset.load(dir.getFileName().toString(), dir);
            nnc.runtime.data.Dataset test = c.data().normalizes() ? s.test().normalized(c.data().mean(), c.data().std())
                    : s.test();
            return of(spark, s.train(), test);
        }
        Dataset<Row> df;
        String in = input;
        if (data.endsWith(".csv")) {
            df = spark.read().option("header", "true").option("inferSchema", "true").csv(data);
            List<Column> cols = new ArrayList<>();
            for (String f : df.columns()) {
                if (!f.equals(label)) {
                    cols.add(df.col(f).cast(DataTypes.FloatType));
                }
            }
            in = "input";
            df = df.select(functions.array(cols.toArray(new Column[0])).as(in), df.col(label));
        } else {
            df = spark.read().parquet(data);
        }
        if (!Arrays.asList(df.columns()).contains(label)) {
            throw new UserError("nnc: " + data + " has no column '" + label + "' (--label); its columns are "
                    + String.join(", ", df.columns()));
        }
        return new TrainingFrames(df, df.count(), in, label, null, null);
    }

    /** Rows (id, input, label) of a loaded nnc dataset's raw samples, in its order. */
    private static TrainingFrames of(SparkSession spark, nnc.runtime.data.Dataset data, nnc.runtime.data.Dataset test) {
        nnc.runtime.data.Dataset raw = data.unscaled();
        int in = raw.sampleSize();
        int tg = raw.targetSize();
        boolean classes = raw.classes() > 0;
        List<Row> rows = new ArrayList<>(raw.size());
        float[] x = new float[in];
        float[] t = new float[tg];
        for (int i = 0; i < raw.size(); i++) {
            raw.copyBatch(null, i, 1, x, 0, t, 0, false, null);
            rows.add(RowFactory.create((long) i, x.clone(), classes ? (Object) (int) t[0] : (Object) t.clone()));
        }
        DataType target = classes ? DataTypes.IntegerType : DataTypes.createArrayType(DataTypes.FloatType, false);
        StructType schema = DataTypes.createStructType(List.of(
                DataTypes.createStructField("id", DataTypes.LongType, false),
                DataTypes.createStructField("input", DataTypes.createArrayType(DataTypes.FloatType, false), false),
                DataTypes.createStructField("label", target, false)));
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        Dataset<Row> df = spark.createDataFrame(sc.parallelize(rows, sc.defaultParallelism()), schema);
        return new TrainingFrames(df, raw.size(), "input", "label", "id", test);
    }
}
