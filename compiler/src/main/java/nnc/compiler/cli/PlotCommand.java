package nnc.compiler.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import nnc.compiler.plot.Curves;
import nnc.compiler.runs.RunFolder;
import nnc.compiler.runs.Runs;
import nnc.runtime.io.AtomicFile;
import nnc.compiler.runs.MetricsCsv;
import nnc.runtime.train.EpochResult;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code nnc plot RUN...}: the training curves of several runs in one PNG. */
@Command(name = "plot", mixinStandardHelpOptions = true,
        description = {"Draw the training curves of runs in one figure.",
            "Loss, accuracy and learning rate per epoch, a colour per run, validation solid",
            "and training dashed. RUN is a run folder (runs/MnistMlp/3), or a folder of",
            "runs (runs/MnistMlp, a sweep folder): all the runs in it. Runs still training",
            "are drawn as far as they got."})
final class PlotCommand implements Callable<Integer> {
    @Parameters(paramLabel = "RUN", arity = "1..*", description = "Run folders, or folders that hold runs.")
    List<Path> runs;

    @Option(names = {"-o", "--out"}, paramLabel = "FILE", description = "The PNG to write (default: plot.png).")
    Path out = Path.of("plot.png");

    @Option(names = "--overwrite", description = "Replace FILE when it exists.")
    boolean overwrite;

    @Option(names = "--no-train", description = "Only the validation curves.")
    boolean noTrain;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec command;

    @Override
    public Integer call() {
        if (!out.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".png")) {
            throw new CommandLine.ParameterException(command.commandLine(), "--out must name a .png file, got " + out);
        }
        if (Files.exists(out) && !overwrite) {
            throw new UserError("nnc: " + out + " exists; pass --overwrite to replace it, or --out another file");
        }
        Set<Path> folders = new LinkedHashSet<>();
        for (Path r : runs) {
            folders.addAll(runFolders(r));
        }
        List<Curves.Line> lines = new ArrayList<>();
        for (Path f : folders) {
            List<EpochResult> epochs;
            try {
                epochs = MetricsCsv.read(f.resolve(RunFolder.METRICS));
            } catch (IOException e) {
                throw new UserError("nnc: cannot read " + Runs.display(f.resolve(RunFolder.METRICS)) + ": "
                        + TrainCommand.describe(e));
            }
            if (epochs.isEmpty()) {
                System.err.println("nnc: " + Runs.display(f) + " has no finished epoch yet; left out");
                continue;
            }
            lines.add(new Curves.Line(label(f, folders), epochs, lines.size()));
        }
        if (lines.isEmpty()) {
            throw new UserError("nnc: nothing to draw: no run has a finished epoch");
        }
        try {
            AtomicFile.write(out.toAbsolutePath(), Curves.compare("", lines, !noTrain));
        } catch (IOException e) {
            throw new UserError("nnc: cannot write " + TrainCommand.describe(e)); // names the file
        }
        System.err.println("nnc: " + lines.size() + " run" + (lines.size() == 1 ? "" : "s") + " drawn in " + out);
        return Main.OK;
    }

    /** {@code r} when it is a run (it has metrics.csv), else the runs directly in it. */
    private static List<Path> runFolders(Path r) {
        if (Files.isRegularFile(r.resolve(RunFolder.METRICS))) {
            return List.of(r);
        }
        if (!Files.isDirectory(r)) {
            throw new UserError("nnc: " + r + ": no such run folder");
        }
        List<Path> inside;
        try (var s = Files.list(r)) {
            inside = s.filter(p -> Files.isRegularFile(p.resolve(RunFolder.METRICS)) && !Files.isSymbolicLink(p))
                    .sorted(PlotCommand::byName).toList();
        } catch (IOException e) {
            throw new UserError("nnc: cannot read " + r + ": " + TrainCommand.describe(e));
        }
        if (inside.isEmpty()) {
            throw new UserError("nnc: " + r + " is not a run folder (it has no " + RunFolder.METRICS
                    + ") and holds none");
        }
        return inside;
    }

    /** Numbered runs in number order, others by name. */
    private static int byName(Path a, Path b) {
        String x = a.getFileName().toString();
        String y = b.getFileName().toString();
        if (x.matches("\\d{1,9}") && y.matches("\\d{1,9}")) {
            return Integer.compare(Integer.parseInt(x), Integer.parseInt(y));
        }
        return x.compareTo(y);
    }

    /** The folder's name when every run has a different one, else its path as the user reads it. */
    private static String label(Path f, Set<Path> all) {
        String name = shortName(f);
        long same = all.stream().filter(p -> shortName(p).equals(name)).count();
        return same == 1 ? name : Runs.display(f);
    }

    /** {@code MnistMlp/3} for a numbered run, the folder's name otherwise. */
    private static String shortName(Path f) {
        Path abs = f.toAbsolutePath().normalize();
        String name = abs.getFileName().toString();
        return name.matches("\\d{1,9}") && abs.getParent() != null ? abs.getParent().getFileName() + "/" + name : name;
    }
}
