package nnc.spark;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import nnc.runtime.exec.Exec;
import nnc.runtime.model.CompiledModel;
import nnc.runtime.model.ModelSpec;
import nnc.runtime.model.Predictor;
import nnc.runtime.model.Serving;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The per-partition side of {@link NncSpark#predict}: one model instance per partition, its
 * parameters copied from the broadcast, fed {@code batch} rows at a time through a
 * {@link Predictor} (the typed API's prediction path: the model's preprocessing, the network,
 * the output activation). Rows come out in the order they came in, with the new columns last.
 */
final class BatchPredict implements MapPartitionsFunction<Row, Row>, Serializable {
    private static final long serialVersionUID = 1L;

    private final ModelShip ship;
    private final Broadcast<float[]> weights;
    private final InputColumn input;
    private final boolean classifier;
    private final boolean withOutputs;
    private final int batch;

    BatchPredict(ModelShip ship, Broadcast<float[]> weights, InputColumn input, ModelSpec spec, boolean withOutputs,
                 int batch) {
        this.ship = ship;
        this.weights = weights;
        this.input = input;
        this.classifier = spec.serving().output().isClassifier();
        this.withOutputs = withOutputs;
        this.batch = batch;
    }

    /** The input schema and {@code out} (the class index), {@code out_probability}, {@code out_outputs}. */
    static StructType schema(StructType in, String out, ModelSpec spec, boolean withOutputs) {
        for (String name : List.of(out, out + "_probability", out + "_outputs")) {
            if (List.of(in.fieldNames()).contains(name)) {
                throw new IllegalArgumentException("the output column '" + name + "' exists already");
            }
        }
        List<StructField> fields = new ArrayList<>(List.of(in.fields()));
        if (spec.serving().output().isClassifier()) {
            fields.add(DataTypes.createStructField(out, DataTypes.IntegerType, false));
            fields.add(DataTypes.createStructField(out + "_probability", DataTypes.FloatType, false));
            if (withOutputs) {
                fields.add(DataTypes.createStructField(out + "_outputs",
                        DataTypes.createArrayType(DataTypes.FloatType, false), false));
            }
        } else {
            fields.add(DataTypes.createStructField(out, DataTypes.createArrayType(DataTypes.FloatType, false), false));
        }
        return DataTypes.createStructType(fields);
    }

    @Override
    public Iterator<Row> call(Iterator<Row> rows) {
        CompiledModel model = ship.newModel();
        float[] w = weights.value();
        System.arraycopy(w, 0, model.params, 0, w.length);
        model.paramsChanged();
        Predictor predictor = model.newPredictor(Exec.sequential(), batch);
        ModelSpec spec = model.spec();
        float[] in = new float[batch * spec.inputSize()];
        float[] out = new float[batch * spec.outputSize()];
        Row[] pending = new Row[batch];
        return new Iterator<>() {
            private final List<Row> ready = new ArrayList<>(batch);
            private int next;

            @Override
            public boolean hasNext() {
                if (next < ready.size()) {
                    return true;
                }
                ready.clear();
                next = 0;
                int n = 0;
                while (n < batch && rows.hasNext()) {
                    pending[n] = rows.next();
                    input.read(pending[n], in, n * spec.inputSize());
                    n++;
                }
                if (n == 0) {
                    return false;
                }
                predictor.predict(in, 0, n, out, 0);
                for (int r = 0; r < n; r++) {
                    ready.add(row(pending[r], out, r * spec.outputSize(), spec.outputSize(), spec.serving()));
                    pending[r] = null;
                }
                return true;
            }

            @Override
            public Row next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return ready.get(next++);
            }
        };
    }

    private Row row(Row in, float[] out, int off, int width, Serving serving) {
        int extra = classifier ? (withOutputs ? 3 : 2) : 1;
        Object[] values = new Object[in.length() + extra];
        for (int i = 0; i < in.length(); i++) {
            values[i] = in.get(i);
        }
        int k = in.length();
        if (!classifier) {
            values[k] = boxed(out, off, width);
            return RowFactory.create(values);
        }
        int best = 0;
        float p;
        if (serving.output() == Serving.Output.BINARY && width == 1) {
            best = out[off] > 1 - out[off] ? 1 : 0; // as Prediction: the first of equals
            p = best == 1 ? out[off] : 1 - out[off];
        } else {
            for (int j = 1; j < width; j++) {
                if (out[off + j] > out[off + best]) {
                    best = j;
                }
            }
            p = out[off + best];
        }
        values[k] = best;
        values[k + 1] = p;
        if (withOutputs) {
            values[k + 2] = boxed(out, off, width);
        }
        return RowFactory.create(values);
    }

    /** An array column's value: a Java array is a Scala array, which the row encoder takes. */
    private static float[] boxed(float[] a, int off, int n) {
        return java.util.Arrays.copyOfRange(a, off, off + n);
    }
}
