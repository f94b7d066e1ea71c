package nnc.compiler.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import nnc.compiler.CompileResult;
import nnc.compiler.NncCompiler;
import nnc.compiler.TestModels;
import nnc.compiler.diag.Span;
import nnc.compiler.layers.Val;
import org.junit.jupiter.api.Test;

/** {@code --set name=value}: model parameters and training values, checked like the file. */
class SetOptionTest {
    private static final String MLP = TestModels.root().resolve("samples/mnist_mlp.nn").toString();

    @Test
    void replacesTrainingValuesAndModelParameters() {
        CompileResult r = NncCompiler.compile("m.nn", """
                model M(p = 0.3) {
                    input x: [4]
                    x -> linear(8) -> relu -> dropout(p) -> linear(2)
                }
                data d = csv("d.csv", targets: 1)
                train M on d { loss cross_entropy; optimizer adam(lr: 1e-3); batch 64; epochs 5 }
                """, NncCompiler.Options.defaults().goal(NncCompiler.Goal.SOURCE).overrides(java.util.Map.of(
                "lr", new Val.Num(0.01, false, Span.NONE), "batch", new Val.Num(16, true, Span.NONE),
                "epochs", new Val.Num(2, true, Span.NONE), "p", new Val.Num(0.5, false, Span.NONE))));
        assertTrue(r.ok(), r::render);
        assertEquals(0.01f, r.compilation().train().optimizer().lr());
        assertEquals(16, r.compilation().train().batch());
        assertEquals(2, r.compilation().train().epochs());
        assertTrue(r.java().text().contains(".dropout(0.5f"), "p = 0.5 reaches the generated dropout");
    }

    @Test
    void summaryShowsAnOverriddenParameter() {
        CliRun plain = CliRun.of("summary", MLP);
        CliRun set = CliRun.of("summary", MLP, "--set", "p=0.5", "--set", "batch=8");
        assertEquals(0, set.exit(), set::toString);
        assertEquals(plain.out().lines().count(), set.out().lines().count());
    }

    @Test
    void badValuesAreReportedLikeTheFilesOwn() {
        CliRun lr = CliRun.of("summary", MLP, "--set", "lr=-1");
        assertEquals(1, lr.exit(), lr::toString);
        assertTrue(lr.err().contains("'lr' must be a number > 0, got -1"), lr::toString);

        CliRun p = CliRun.of("summary", MLP, "--set", "p=2");
        assertEquals(1, p.exit(), p::toString);
        assertTrue(p.err().contains("dropout: 'p' must be a number in [0, 1), got 2"), p::toString);

    }

    @Test
    void anUnknownNameIsAUsageErrorAsAnUnknownGridNameIs() {
        CliRun unknown = CliRun.of("summary", MLP, "--set", "lrr=0.1");
        assertEquals(2, unknown.exit(), unknown::toString);
        assertTrue(unknown.err().contains("nnc summary: --set lrr: 'lrr' is neither a parameter of MnistMlp nor a "
                + "training value (did you mean 'lr'?)"), unknown::toString);
        assertFalse(unknown.hasStackTrace(), unknown::toString);

        CliRun frob = CliRun.of("predict", MLP, "--set", "frob=1", "--input", "1");
        assertEquals(2, frob.exit(), frob::toString);
        assertTrue(frob.err().contains("--set frob: 'frob' is neither a parameter of MnistMlp nor a training value "
                + "(settable: lr, batch, epochs, weight_decay, momentum, seed, p)"), frob::toString);
    }

    @Test
    void aNumberNoValueCanHoldIsShownAsWrittenAndSaidToBeOutOfRange() {
        CliRun seed = CliRun.of("summary", MLP, "--set", "seed=99999999999999999999");
        assertEquals(2, seed.exit(), seed::toString);
        assertTrue(seed.err().contains("--set seed=99999999999999999999: out of range: 'seed' is a whole number "
                + "from 0 to 2147483647"), seed::toString);
        assertFalse(seed.err().contains("9223372036854775807"), seed::toString);

        CliRun lr = CliRun.of("summary", MLP, "--set", "lr=1e39");
        assertEquals(2, lr.exit(), lr::toString);
        assertTrue(lr.err().contains("--set lr=1e39: too large for a float (at most about 3.4e38)"), lr::toString);
        assertFalse(lr.err().contains("1.0E39"), lr::toString);

        CliRun p = CliRun.of("summary", MLP, "--set", "p=1e-50");
        assertEquals(2, p.exit(), p::toString);
        assertTrue(p.err().contains("--set p=1e-50: too small for a float (it would be 0)"), p::toString);

        CliRun fits = CliRun.of("summary", MLP, "--set", "seed=2147483647");
        assertEquals(0, fits.exit(), fits::toString);
    }

    @Test
    void aNameForATrainingValueIsAUsageErrorInEveryCommand() {
        String[][] commands = {
            {"summary", MLP}, {"train", MLP, "--epochs", "1"}, {"evaluate", MLP}, {"predict", MLP, "--input", "1"},
            {"emit", MLP, "-d", "unused"}, {"build", MLP, "-o", "unused.jar"}, {"sweep", MLP, "--grid", "batch=8,16"},
            {"bench", "infer", MLP},
        };
        for (String[] command : commands) {
            String[] args = java.util.Arrays.copyOf(command, command.length + 2);
            args[command.length] = "--set";
            args[command.length + 1] = "lr=abc";
            CliRun r = CliRun.of(args);
            assertEquals(2, r.exit(), () -> command[0] + ": " + r);
            assertTrue(r.err().contains("--set lr=abc: 'lr' must be a number > 0"), () -> command[0] + ": " + r);
            assertFalse(r.hasStackTrace(), r::toString);
        }
        CliRun seed = CliRun.of("summary", MLP, "--set", "seed=none");
        assertEquals(2, seed.exit(), seed::toString);
        assertTrue(seed.err().contains("--set seed=none: 'seed' must be"), seed::toString);

        CliRun grid = CliRun.of("sweep", MLP, "--grid", "lr=abc,0.01");
        assertEquals(2, grid.exit(), "--grid follows --set's rule: " + grid);
        assertTrue(grid.err().contains("--grid lr=abc: 'lr' must be a number > 0"), grid::toString);

        CliRun p = CliRun.of("summary", MLP, "--set", "p=abc");
        assertEquals(1, p.exit(), "a model parameter may take a name; the compiler checks it where it is used: " + p);
        assertTrue(p.err().contains("dropout: 'p' must be a number in [0, 1), got abc"), p::toString);
    }

    @Test
    void malformedSettingsAreUsageErrors() {
        for (String bad : new String[] {"lr", "=1", "lr=", "lr=abc!", "lr=1e999"}) {
            CliRun r = CliRun.of("summary", MLP, "--set", bad);
            assertEquals(2, r.exit(), () -> bad + ": " + r);
            assertFalse(r.hasStackTrace(), r::toString);
        }
    }
}
