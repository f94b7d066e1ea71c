package nnc.compiler.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** Where {@code train} and {@code evaluate} look for data, and how much of it they use. */
final class DataOptions {
    @Option(names = "--data", paramLabel = "DIR", description = "A folder to look for datasets in first (repeatable).")
    List<Path> dirs = new ArrayList<>();

    @Option(names = "--no-download", description = "Do not fetch a missing dataset.")
    boolean noDownload;

    @Option(names = "--limit", paramLabel = "N", description = "Use only the first N samples of each part of the data (quick runs).")
    Integer limit;

    @Option(names = "--threads", paramLabel = "N", description = "Threads for the kernels (default: all cores).")
    Integer threads;
}
