package nnc.compiler.data;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import nnc.compiler.pass.DataSpec;
import nnc.runtime.data.Augment;
import nnc.runtime.data.CifarDataset;
import nnc.runtime.data.CsvDataset;
import nnc.runtime.data.Dataset;
import nnc.runtime.data.DatasetPaths;
import nnc.runtime.data.IdxDataset;

/**
 * Turns a {@link DataSpec} into training and test {@link Dataset}s: finds the files (a
 * folder or file path relative to the .nn file, else a named dataset on the search path),
 * fetches a known dataset that is missing when allowed, and applies the transforms.
 */
public final class DataLoader {
    private DataLoader() {
    }

    /**
     * @param baseDir  the folder of the .nn file (relative paths start there)
     * @param download fetch a known dataset into the cache when it is missing
     */
    public static IdxDataset.Splits load(DataSpec spec, Path baseDir, DatasetPaths paths, boolean download,
                                         PrintStream log) throws FetchException {
        IdxDataset.Splits raw = switch (spec.source()) {
            case DataSpec.Idx idx -> named(idx.dataset(), baseDir, paths, download, log, IdxDataset::isComplete,
                    (n, dir) -> IdxDataset.load(n, dir));
            case DataSpec.Cifar c -> named(c.dataset(), baseDir, paths, download, log,
                    dir -> CifarDataset.locate(dir) != null, CifarDataset::load);
            case DataSpec.Csv csv -> csv(csv, baseDir);
        };
        return new IdxDataset.Splits(transform(raw.train(), spec, true), transform(raw.test(), spec, false));
    }

    private interface Reader {
        IdxDataset.Splits read(String name, Path dir) throws IOException;
    }

    private static IdxDataset.Splits named(String name, Path baseDir, DatasetPaths paths, boolean download,
                                           PrintStream log, java.util.function.Predicate<Path> complete, Reader reader)
            throws FetchException {
        Path dir = null;
        Path direct = baseDir.resolve(name);
        if ((name.contains("/") || name.contains("\\") || Files.isDirectory(direct)) && Files.isDirectory(direct)) {
            dir = complete.test(direct) ? direct : null;
            if (dir == null) {
                throw new FetchException("the folder " + direct + " does not hold a complete dataset",
                        "an IDX dataset needs " + String.join(", ", IdxDataset.FILES) + " (optionally .gz)");
            }
        }
        if (dir == null) {
            dir = paths.find(name, complete);
        }
        if (dir == null) {
            KnownDatasets.Info info = KnownDatasets.lookup(name);
            if (download && info != null && DatasetFetcher.fetchable().contains(info.name())) {
                log.println("nnc: dataset '" + name + "' is not on the search path; fetching it");
                dir = DatasetFetcher.fetch(info.name(), DatasetPaths.userCache(), log);
            } else {
                String searched = String.join(", ", paths.roots().stream().map(Path::toString).toList());
                throw new FetchException("dataset '" + name + "' was not found (searched " + searched + ")",
                        info != null ? "to get it: " + info.how()
                                : "give a folder path, or put a folder named " + name + " under one of those");
            }
        }
        try {
            return reader.read(name, dir);
        } catch (IOException e) {
            throw new FetchException("cannot read dataset '" + name + "': " + e.getMessage(),
                    "fetch it again: ./nnc fetch " + name);
        }
    }

    private static IdxDataset.Splits csv(DataSpec.Csv csv, Path baseDir) throws FetchException {
        Path file = baseDir.resolve(csv.path());
        if (!Files.isRegularFile(file)) {
            throw new FetchException("no such file: " + file, "paths are relative to the .nn file's folder");
        }
        try {
            Dataset all = CsvDataset.read(file, csv.targets());
            int test = (int) Math.round(all.size() * csv.testFraction());
            if (test < 1 || test >= all.size()) {
                throw new FetchException(file + ": " + all.size() + " rows cannot be split with test: "
                        + csv.testFraction(), "use a test fraction that leaves rows on both sides");
            }
            return new IdxDataset.Splits(all.slice(0, all.size() - test), all.slice(all.size() - test, all.size()));
        } catch (IOException e) {
            throw new FetchException(e.getMessage(), null);
        }
    }

    private static Dataset transform(Dataset d, DataSpec spec, boolean training) {
        Dataset out = d;
        if (spec.normalizes()) {
            out = out.normalized(spec.mean(), spec.std());
        }
        if (training && spec.augments()) {
            out = out.augmented(new Augment(spec.cropPad(), spec.hflip()));
        }
        return out;
    }

    /** The folder names tried for a named dataset, for messages. */
    public static List<String> describeSearch(DatasetPaths paths) {
        return paths.roots().stream().map(Path::toString).toList();
    }
}
