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
            case DataSpec.Idx idx -> reader(idx.dataset(), locate(idx.dataset(), baseDir, paths, download, log, IDX),
                    (n, dir) -> IdxDataset.load(n, dir));
            case DataSpec.Cifar c -> reader(c.dataset(), locate(c.dataset(), baseDir, paths, download, log, CIFAR),
                    CifarDataset::load);
            case DataSpec.Csv csv -> csv(csv, baseDir);
        };
        return new IdxDataset.Splits(transform(raw.train(), spec, true), transform(raw.test(), spec, false));
    }

    private interface Reader {
        IdxDataset.Splits read(String name, Path dir) throws IOException;
    }

    /** A dataset layout: when a folder holds one, and what it must hold (for messages). */
    public record Layout(java.util.function.Predicate<Path> complete, String needs) {
    }

    public static final Layout IDX = new Layout(IdxDataset::isComplete,
            "an IDX dataset needs " + String.join(", ", IdxDataset.FILES) + " (optionally .gz)");
    public static final Layout CIFAR = new Layout(dir -> CifarDataset.locate(dir) != null,
            "a CIFAR-10 dataset needs data_batch_1.bin ... data_batch_5.bin and test_batch.bin");

    /**
     * The folder of a dataset: a path (relative to the .nn file) must be a folder holding it;
     * a name is looked up on the search path, and a known dataset fetched when allowed.
     *
     * @param download fetch a known dataset that is missing; when false and it is missing, null
     *                 is returned for a fetchable dataset only if {@code log} is null (a probe)
     */
    public static Path locate(String name, Path baseDir, DatasetPaths paths, boolean download, PrintStream log,
                              Layout layout) throws FetchException {
        Path direct = baseDir.resolve(name);
        boolean isPath = name.contains("/") || name.contains("\\") || name.startsWith(".");
        if (isPath || Files.isDirectory(direct)) {
            if (!Files.isDirectory(direct)) {
                throw new FetchException("no such folder: " + direct, "paths are relative to the .nn file's folder");
            }
            if (!layout.complete().test(direct)) {
                throw new FetchException("the folder " + direct + " does not hold a complete dataset", layout.needs());
            }
            return direct;
        }
        Path dir = paths.find(name, layout.complete());
        if (dir != null) {
            return dir;
        }
        KnownDatasets.Info info = KnownDatasets.lookup(name);
        boolean fetchable = info != null && DatasetFetcher.fetchable().contains(info.name());
        if (fetchable && download) {
            log.println("nnc: dataset '" + name + "' is not on the search path; fetching it");
            return DatasetFetcher.fetch(info.name(), DatasetPaths.userCache(), log);
        }
        if (fetchable && log == null) {
            return null;
        }
        String searched = String.join(", ", paths.roots().stream().map(Path::toString).toList());
        throw new FetchException("dataset '" + name + "' was not found (searched " + searched + ")",
                info != null ? "to get it: " + info.how()
                        : "give a folder path, or put a folder named " + name + " under one of those");
    }

    private static IdxDataset.Splits reader(String name, Path dir, Reader reader) throws FetchException {
        try {
            return reader.read(name, dir);
        } catch (IOException e) {
            throw damaged(name, e);
        }
    }

    /** A dataset whose files cannot be read or are damaged: the reader's message names the file and place. */
    public static FetchException damaged(String name, IOException e) {
        KnownDatasets.Info info = KnownDatasets.lookup(name);
        boolean fetchable = info != null && DatasetFetcher.fetchable().contains(info.name());
        String why = e instanceof nnc.runtime.data.DataFileException ? e.getMessage()
                : e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return new FetchException("cannot read dataset '" + name + "': " + why,
                fetchable ? "fetch it again: ./nnc fetch " + info.name() + " --force" : null);
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
            throw new FetchException(e instanceof nnc.runtime.data.DataFileException ? e.getMessage()
                    : "cannot read " + file + ": " + e.getMessage(), null);
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
