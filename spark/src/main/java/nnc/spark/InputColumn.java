package nnc.spark;

import java.io.Serializable;
import java.lang.reflect.Method;
import java.util.List;
import nnc.runtime.model.ModelSpec;
import nnc.runtime.model.Serving;
import nnc.runtime.serve.Images;
import nnc.runtime.serve.InputException;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.BinaryType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.types.UserDefinedType;

/**
 * A column of raw model inputs and how to read one row of it into floats: an array of numbers
 * (the raw values, as {@code nnc predict} takes them: pixels 0-255 for an image model), a Spark
 * ML vector, or the bytes of an image file (PNG, JPEG, PGM ...), decoded, converted to the
 * model's channels and resized to its input. The model's own preprocessing is applied later,
 * by the prediction or training path, exactly once.
 */
final class InputColumn implements Serializable {
    private static final long serialVersionUID = 1L;

    enum Kind { ARRAY, VECTOR, IMAGE }

    final String name;
    final int index;
    final Kind kind;
    private final int size;
    private final String model;
    private final int[] image;
    private transient Method toArray;

    private InputColumn(InputColumn c, int index) {
        this.name = c.name;
        this.index = index;
        this.kind = c.kind;
        this.size = c.size;
        this.model = c.model;
        this.image = c.image;
    }

    /** The same column read from field {@code index} of a row. */
    InputColumn at(int index) {
        return new InputColumn(this, index);
    }

    private InputColumn(String name, int index, Kind kind, ModelSpec spec) {
        this.name = name;
        this.index = index;
        this.kind = kind;
        this.size = spec.inputSize();
        this.model = spec.name();
        Serving.Image im = spec.serving().image();
        this.image = im == null ? null : new int[] {im.channels(), im.height(), im.width()};
    }

    /** Checks the column on the driver, before any job: a clear message instead of a failed task. */
    static InputColumn of(StructType schema, String column, ModelSpec spec) {
        int i = fieldIndex(schema, column);
        DataType t = schema.fields()[i].dataType();
        Kind kind;
        if (t instanceof ArrayType a && a.elementType() instanceof NumericType) {
            kind = Kind.ARRAY;
        } else if (t instanceof BinaryType) {
            if (spec.serving().image() == null) {
                throw new IllegalArgumentException("column '" + column + "' holds bytes, but " + spec.name()
                        + " takes no images (its input is " + spec.inputShapeText() + " values)");
            }
            kind = Kind.IMAGE;
        } else if (t instanceof UserDefinedType<?> u && u.userClass().getName().endsWith("linalg.Vector")) {
            kind = Kind.VECTOR;
        } else {
            throw new IllegalArgumentException("column '" + column + "' is " + t.simpleString() + "; " + spec.name()
                    + " reads arrays of numbers, ML vectors or image bytes");
        }
        return new InputColumn(column, i, kind, spec);
    }

    static int fieldIndex(StructType schema, String column) {
        for (int i = 0; i < schema.fields().length; i++) {
            if (schema.fields()[i].name().equals(column)) {
                return i;
            }
        }
        throw new IllegalArgumentException("no column '" + column + "'; the columns are "
                + String.join(", ", schema.fieldNames()));
    }

    /** The row's raw sample into {@code dst[off, off + size)}. */
    void read(Row row, float[] dst, int off) {
        if (row.isNullAt(index)) {
            throw new IllegalArgumentException(model + ": column '" + name + "' is null in a row");
        }
        switch (kind) {
            case ARRAY -> {
                List<Object> values = row.getList(index);
                check(values.size());
                for (int i = 0; i < size; i++) {
                    dst[off + i] = ((Number) values.get(i)).floatValue();
                }
            }
            case VECTOR -> {
                double[] values = vector(row.get(index));
                check(values.length);
                for (int i = 0; i < size; i++) {
                    dst[off + i] = (float) values[i];
                }
            }
            case IMAGE -> {
                float[] sample;
                try {
                    sample = Images.sample((byte[]) row.get(index), new Serving.Image(image[0], image[1], image[2]));
                } catch (InputException e) {
                    throw new IllegalArgumentException(model + ": column '" + name + "': " + e.getMessage(), e);
                }
                check(sample.length);
                System.arraycopy(sample, 0, dst, off, size);
            }
        }
    }

    private void check(int n) {
        if (n != size) {
            throw new IllegalArgumentException(model + " takes " + size + " values per sample, but a row of column '"
                    + name + "' has " + n);
        }
    }

    /** {@code org.apache.spark.ml.linalg.Vector.toArray()}, found by name: nnc-spark does not need spark-mllib. */
    private double[] vector(Object v) {
        try {
            if (toArray == null) {
                toArray = v.getClass().getMethod("toArray");
            }
            return (double[]) toArray.invoke(v);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot read an ML vector of column '" + name + "': " + e, e);
        }
    }
}
