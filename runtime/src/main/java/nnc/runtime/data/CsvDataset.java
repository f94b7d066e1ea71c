package nnc.runtime.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Numbers in a CSV file, one sample per row: the features, then {@code targets} target
 * columns. A first row that is not all numbers is a header. Lines starting with {@code #}
 * are comments.
 */
public final class CsvDataset {
    private CsvDataset() {
    }

    public static Dataset read(Path file, int targets) throws IOException {
        List<String> lines = Files.readAllLines(file);
        List<float[]> rows = new ArrayList<>();
        int width = -1;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] cells = line.split(",");
            float[] row = new float[cells.length];
            boolean numeric = true;
            for (int j = 0; j < cells.length; j++) {
                try {
                    row[j] = Float.parseFloat(cells[j].strip());
                } catch (NumberFormatException e) {
                    numeric = false;
                    break;
                }
            }
            if (!numeric) {
                if (rows.isEmpty() && width < 0) {
                    width = cells.length;
                    continue;
                }
                throw new IOException(file + ":" + (i + 1) + ": not a number in '" + line + "'");
            }
            if (width >= 0 && row.length != width) {
                throw new IOException(file + ":" + (i + 1) + ": " + row.length + " columns, expected " + width);
            }
            width = row.length;
            rows.add(row);
        }
        if (rows.isEmpty()) {
            throw new IOException(file + ": no rows of numbers");
        }
        int features = width - targets;
        if (features < 1) {
            throw new IOException(file + ": " + width + " columns leave no features for " + targets + " target columns");
        }
        float[] x = new float[rows.size() * features];
        float[] t = new float[rows.size() * targets];
        boolean classIndices = targets == 1;
        int classes = 0;
        for (int r = 0; r < rows.size(); r++) {
            float[] row = rows.get(r);
            System.arraycopy(row, 0, x, r * features, features);
            System.arraycopy(row, features, t, r * targets, targets);
            if (targets == 1) {
                float v = row[features];
                classIndices &= v >= 0 && v == Math.rint(v);
                classes = Math.max(classes, (int) v + 1);
            }
        }
        return Dataset.ofFloats(file.getFileName().toString(), new int[] {features}, x, t, targets,
                classIndices ? classes : 0);
    }
}
