package nnc.compiler.data;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import nnc.compiler.Compilation;
import nnc.compiler.diag.Diagnostics;
import nnc.compiler.ir.Graph;
import nnc.compiler.ir.TensorType;
import nnc.compiler.pass.CheckData;
import nnc.compiler.pass.DataSpec;
import nnc.runtime.data.CifarDataset;
import nnc.runtime.data.CsvDataset;
import nnc.runtime.data.Dataset;
import nnc.runtime.data.DatasetPaths;
import nnc.runtime.data.IdxDataset;

/**
 * What {@code nnc check} can know about a model's data without training: the files exist,
 * their headers are sound, and their samples (and, for CSV files, read whole, their targets)
 * fit the model. IDX and CIFAR files are checked by their headers and sizes only. A known
 * dataset that is not downloaded yet passes ({@code train} fetches it, or a warning says how to
 * get it). Problems are reported at the data source, and misfits where {@link CheckData}
 * reports them.
 */
public final class DataProbe {
    private DataProbe() {
    }

    /** @param baseDir the folder of the .nn file (relative paths start there) */
    public static void check(Compilation c, Path baseDir, DatasetPaths paths, Diagnostics d) {
        DataSpec data = c.data();
        if (data == null || c.train() == null) {
            return;
        }
        try {
            int[] shape = switch (data.source()) {
                case DataSpec.Idx i -> probe(i.dataset(), locate(i.dataset(), baseDir, paths, DataLoader.IDX, data, d),
                        IdxDataset::probe);
                case DataSpec.Cifar x -> probe(x.dataset(), locate(x.dataset(), baseDir, paths, DataLoader.CIFAR, data, d),
                        CifarDataset::probe);
                case DataSpec.Csv csv -> {
                    DataLoader.load(data, baseDir, paths, false, null); // the file reads, and splits
                    Dataset all = CsvDataset.read(baseDir.resolve(csv.path()), csv.targets());
                    new CheckData(c.train(), data).checkLoaded(c.network(), all, d); // sample numbers are rows
                    yield null;
                }
            };
            Graph g = c.network().graph();
            TensorType in = g.type(g.input());
            long size = shape == null ? in.size() : Arrays.stream(shape).asLongStream().reduce(1, (a, b) -> a * b);
            if (size != in.size()) {
                d.error(c.train().dataSpan(), data.name() + " samples are " + Arrays.toString(shape) + " (" + size
                        + " values) but " + g.name() + " takes " + in.shapeText() + " (" + in.size() + " values)");
            }
        } catch (FetchException e) {
            d.error(data.source().span(), e.getMessage(), e.hint());
        } catch (IOException e) {
            d.error(data.source().span(), e.getMessage());
        }
    }

    /**
     * The dataset's folder, or null when there is nothing to probe: a known dataset that is not
     * downloaded yet is a warning with the way to get it (the program is not wrong).
     */
    private static Path locate(String name, Path baseDir, DatasetPaths paths, DataLoader.Layout layout, DataSpec data,
                               Diagnostics d) throws FetchException {
        try {
            return DataLoader.locate(name, baseDir, paths, false, null, layout);
        } catch (FetchException e) {
            if (KnownDatasets.lookup(name) == null) {
                throw e;
            }
            d.warning(data.source().span(), e.getMessage(), e.hint());
            return null;
        }
    }

    private interface Probe {
        int[] shape(Path dir) throws IOException;
    }

    /** The sample shape from the headers, or null when the dataset is not there yet (it will be fetched). */
    private static int[] probe(String name, Path dir, Probe probe) throws FetchException {
        if (dir == null) {
            return null;
        }
        try {
            return probe.shape(dir);
        } catch (IOException e) {
            throw DataLoader.damaged(name, e);
        }
    }
}
