package nnc.compiler.cli;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import nnc.compiler.Compilation;
import nnc.compiler.codegen.InProcessCompiler;
import nnc.compiler.driver.FusionBench;
import nnc.compiler.driver.ModelFactory;
import nnc.compiler.driver.SyntheticBatch;
import nnc.runtime.exec.Exec;
import nnc.runtime.model.CompiledModel;
import nnc.runtime.model.Training;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code nnc bench fusion FILE}: training steps fused against {@code --no-fuse}, side by side. */
@Command(name = "fusion", mixinStandardHelpOptions = true,
        description = {"Time training steps of a model compiled with and without operator fusion, alternating",
            "in rounds in one process, on one random batch; prints the median step times and the ratio."})
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
        if (rounds < 1 || steps < 1 || (batch != null && batch < 1)) {
            throw new UserError("nnc: --rounds, --steps and --batch must be >= 1");
        }
        nnc.compiler.Pipeline.Options base = new nnc.compiler.Pipeline.Options(model, true, java.util.Map.of());
        Compilation fusedC = Frontend.compile(file, base, System.err);
        if (fusedC.train() == null) {
            throw new UserError("nnc: " + file + " declares no training for " + fusedC.modelName());
        }
        Compilation unfusedC = Frontend.compile(file, base.withFuse(false), System.err);
        int b = batch != null ? batch : fusedC.train().batch();
        CompiledModel fm;
        CompiledModel um;
        try {
            fm = ModelFactory.instantiate(fusedC);
            um = ModelFactory.instantiate(unfusedC);
        } catch (InProcessCompiler.Failure e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
        fm.initialize(1);
        um.initialize(1);
        try (Exec exec = threads != null ? Exec.threads(threads) : Exec.allCores()) {
            float lr = fusedC.train().optimizer().lr();
            Training f = fm.newTraining(exec, b, 1, lr);
            Training u = um.newTraining(exec, b, 1, lr);
            System.err.printf(Locale.ROOT, "nnc: %s at batch %d on %d thread%s: %d kernels fused, %d unfused; "
                            + "warming up, then %d rounds of %d steps each%n", fusedC.modelName(), b, exec.threads(),
                    exec.threads() == 1 ? "" : "s", fusedC.trainPlan().schedule().kernels().size(),
                    unfusedC.trainPlan().schedule().kernels().size(), rounds, steps);
            FusionBench.Result r = FusionBench.run(f, u, SyntheticBatch.of(fm.spec(), b, 7), rounds, steps,
                    done -> System.err.printf(Locale.ROOT, "\rnnc: round %d/%d", done, rounds));
            System.err.println();
            System.out.printf(Locale.ROOT, "fused:    %.3f ms/step median (%.3f..%.3f)%n", r.fusedMs()[0], r.fusedMs()[1],
                    r.fusedMs()[2]);
            System.out.printf(Locale.ROOT, "unfused:  %.3f ms/step median (%.3f..%.3f)%n", r.unfusedMs()[0],
                    r.unfusedMs()[1], r.unfusedMs()[2]);
            System.out.printf(Locale.ROOT, "speedup:  %.2fx median (%.2f..%.2f) over %d rounds of %d steps%n",
                    r.ratio()[0], r.ratio()[1], r.ratio()[2], r.rounds(), r.steps());
        }
        return Main.OK;
    }
}
