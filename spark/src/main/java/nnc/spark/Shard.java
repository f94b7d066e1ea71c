package nnc.spark;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import nnc.runtime.model.ModelSpec;
import nnc.runtime.model.Serving;
import org.apache.spark.sql.Row;

/**
 * One partition's training samples, kept in executor memory for the whole run: the network
 * inputs (raw values through the model's preprocessing, as the single-process data loader makes
 * them), the targets, and each sample's global index, sorted, so a step finds the samples of its
 * batch that live here by binary search.
 */
final class Shard implements Serializable {
    private static final long serialVersionUID = 1L;

    final int partition;
    final long[] ids;
    final float[] inputs;
    final float[] targets;
    final int inputSize;
    final int targetSize;

    private Shard(int partition, long[] ids, float[] inputs, float[] targets, int inputSize, int targetSize) {
        this.partition = partition;
        this.ids = ids;
        this.inputs = inputs;
        this.targets = targets;
        this.inputSize = inputSize;
        this.targetSize = targetSize;
    }

    int size() {
        return ids.length;
    }

    /** The row of sample {@code id} here, or -1. */
    int rowOf(long id) {
        int r = Arrays.binarySearch(ids, id);
        return r >= 0 ? r : -1;
    }

    /** Reads a partition of (index, input row) pairs: the inputs through {@code serving}'s preprocessing. */
    static Shard read(int partition, Iterator<Row> rows, InputColumn input, int labelIndex, int indexColumn,
                      ModelSpec spec, Serving serving) {
        int in = spec.inputSize();
        int tg = spec.targetSize();
        List<Object[]> all = new ArrayList<>();
        float[] raw = new float[in];
        while (rows.hasNext()) {
            Row r = rows.next();
            input.read(r, raw, 0);
            float[] x = new float[in];
            serving.prepare(raw, 0, x, 0, 1, in);
            float[] t = target(r, labelIndex, tg, spec.name());
            all.add(new Object[] {((Number) r.get(indexColumn)).longValue(), x, t});
        }
        all.sort((a, b) -> Long.compare((Long) a[0], (Long) b[0]));
        int n = all.size();
        long[] ids = new long[n];
        float[] xs = new float[n * in];
        float[] ts = new float[n * tg];
        for (int i = 0; i < n; i++) {
            Object[] e = all.get(i);
            ids[i] = (Long) e[0];
            if (i > 0 && ids[i] == ids[i - 1]) {
                throw new IllegalArgumentException("sample index " + ids[i] + " appears twice");
            }
            System.arraycopy((float[]) e[1], 0, xs, i * in, in);
            System.arraycopy((float[]) e[2], 0, ts, i * tg, tg);
        }
        return new Shard(partition, ids, xs, ts, in, tg);
    }

    /** A class index (a number) or, for a regression, the target values (a number or an array). */
    private static float[] target(Row r, int column, int size, String model) {
        Object v = r.get(column);
        if (v instanceof Number x) {
            if (size != 1) {
                throw new IllegalArgumentException(model + " needs " + size + " target values per sample, got one number");
            }
            return new float[] {x.floatValue()};
        }
        if (v instanceof scala.collection.Seq<?> || v instanceof List<?>) {
            List<Object> l = r.getList(column);
            if (l.size() != size) {
                throw new IllegalArgumentException(model + " needs " + size + " target values per sample, got " + l.size());
            }
            float[] t = new float[size];
            for (int i = 0; i < size; i++) {
                t[i] = ((Number) l.get(i)).floatValue();
            }
            return t;
        }
        throw new IllegalArgumentException(model + ": a target must be a number or an array of numbers, got "
                + (v == null ? "null" : v.getClass().getSimpleName()));
    }
}
