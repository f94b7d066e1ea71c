package nnc.compiler.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import nnc.compiler.Compilation;
import nnc.compiler.CompileResult;
import nnc.compiler.NncCompiler;
import nnc.compiler.measure.FusionBench;
import nnc.compiler.measure.StepProfiler;
import nnc.compiler.measure.SyntheticBatch;
import nnc.runtime.exec.Exec;
import nnc.runtime.model.CompiledModel;
import nnc.runtime.model.Training;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code nnc bench fusion FILE}: training steps fused against {@code --no-fuse}, side by side. */
@Command(name = "fusion", mixinStandardHelpOptions = true,
        description = {"Time training steps of a model compiled with and without operator fusion.",
            "Each side runs in its own JVM, alternating in rounds, on one random batch;",
            "prints the median step times and the ratio."})
final class FusionBenchCommand implements Callable<Integer> {
    @Parameters(paramLabel = "FILE", description = "The .nn file (it must declare training).")
    Path file;

    @Option(names = "--model", paramLabel = "NAME", description = "The model to use (default: the trained one, else the last).")
    String model;

    @Option(names = "--batch", paramLabel = "N", description = "Batch size (default: the file's).")
    Integer batch;

    @Option(names = "--rounds", paramLabel = "R", defaultValue = "15", description = "Alternating rounds (default: ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--steps", paramLabel = "S", defaultValue = "50", description = "Steps per side per round (default: ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = "--threads", paramLabel = "T", description = "Threads (default: all cores).")
    Integer threads;

    @Override
    public Integer call() {
        if (rounds < 1 || steps < 1 || (batch != null && batch < 1) || (threads != null && threads < 1)) {
            throw new UserError("nnc: --rounds, --steps, --batch and --threads must be >= 1");
        }
        NncCompiler.Options base = NncCompiler.Options.defaults().model(model).goal(NncCompiler.Goal.ANALYZE);
        Compilation fusedC = Frontend.compile(file, base, System.err).compilation();
        if (fusedC.train() == null) {
            throw new UserError("nnc: " + file + " declares no training for " + fusedC.modelName());
        }
        Compilation unfusedC = Frontend.compile(file, base.fuse(false), System.err).compilation();
        int b = batch != null ? batch : fusedC.train().batch();
        int t = threads != null ? threads : Runtime.getRuntime().availableProcessors();
        System.err.printf(Locale.ROOT, "nnc: %s at batch %d on %d thread%s: %d kernels fused, %d unfused; "
                        + "each in its own JVM, warming up, then %d rounds of %d steps each%n", fusedC.modelName(), b, t,
                t == 1 ? "" : "s", fusedC.trainPlan().schedule().emitted().size(),
                unfusedC.trainPlan().schedule().emitted().size(), rounds, steps);
        List<String> args = new ArrayList<>(List.of("bench", "fusion-side", file.toString(), "--batch",
                String.valueOf(b), "--threads", String.valueOf(t)));
        if (model != null) {
            args.addAll(List.of("--model", model));
        }
        List<String> unfusedArgs = new ArrayList<>(args);
        unfusedArgs.add("--no-fuse");
        boolean interactive = System.console() != null;
        try (FusionBench.Side f = new FusionBench.Side(Main.class.getName(), args);
             FusionBench.Side u = new FusionBench.Side(Main.class.getName(), unfusedArgs)) {
            FusionBench.Result r = FusionBench.run(f, u, rounds, steps, done -> {
                if (interactive) {
                    System.err.printf(Locale.ROOT, "\rnnc: round %d/%d", done, rounds);
                }
            });
            if (interactive) {
                System.err.println();
            }
            System.out.printf(Locale.ROOT, "fused:    %.3f ms/step median (%.3f..%.3f)%n", r.fusedMs()[0], r.fusedMs()[1],
                    r.fusedMs()[2]);
            System.out.printf(Locale.ROOT, "unfused:  %.3f ms/step median (%.3f..%.3f)%n", r.unfusedMs()[0],
                    r.unfusedMs()[1], r.unfusedMs()[2]);
            System.out.printf(Locale.ROOT, "speedup:  %.2fx median (%.2f..%.2f) over %d rounds of %d steps%n",
                    r.ratio()[0], r.ratio()[1], r.ratio()[2], r.rounds(), r.steps());
        } catch (IOException e) {
            throw new UserError("nnc: bench fusion: " + e.getMessage());
        }
        return Main.OK;
    }

    /**
     * One side of {@code bench fusion}, in its own JVM: compiles, warms up, prints
     * {@code ready}, then answers each line holding a step count with milliseconds per step.
     */
    @Command(name = "fusion-side", hidden = true, mixinStandardHelpOptions = true,
            description = "One side of 'bench fusion' (internal).")
    static final class Side implements Callable<Integer> {
        @Parameters(paramLabel = "FILE")
        Path file;

        @Option(names = "--batch", required = true)
        int batch;

        @Option(names = "--threads", required = true)
        int threads;

        @picocli.CommandLine.Mixin
        CompileOptions options = new CompileOptions();

        @Override
        public Integer call() throws IOException {
            CompileResult r = Frontend.compile(file, options.compiler(), System.err);
            Compilation c = r.compilation();
            CompiledModel m = r.newModel();
            m.initialize(1);
            try (Exec exec = Exec.threads(threads)) {
                Training tr = m.newTraining(exec, batch, 1, c.train().optimizer().lr());
                StepProfiler.load(tr, SyntheticBatch.of(m.spec(), batch, 7));
                FusionBench.warm(tr);
                System.out.println("ready");
                System.out.flush();
                BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    System.out.println(FusionBench.time(tr, Integer.parseInt(line.trim())));
                    System.out.flush();
                }
            }
            return Main.OK;
        }
    }
}
