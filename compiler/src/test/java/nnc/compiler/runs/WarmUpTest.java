package nnc.compiler.runs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import nnc.compiler.CompileResult;
import nnc.compiler.TestModels;
import nnc.runtime.data.Dataset;
import nnc.runtime.exec.Exec;
import nnc.runtime.model.CompiledModel;
import nnc.runtime.model.Training;
import nnc.runtime.train.WarmUp;
import org.junit.jupiter.api.Test;

/**
 * The warm-up before the first epoch ({@code nnc train}) leaves no trace: the parameters
 * (batch norm's running statistics among them), the optimizer state and the step count (the
 * dropout keys) are what they were, so the run trains the same steps as without it.
 */
class WarmUpTest {
    final CompileResult compiled = TestModels.build(ExactResumeTest.MODEL, true);
    final Dataset train = ExactResumeTest.images(40, 3);

    @Test
    void aWarmUpStepsAndThenPutsTheModelBack() {
        CompiledModel model = compiled.newModel();
        model.initialize(5);
        try (Exec exec = Exec.threads(2)) {
            Training t = model.newTraining(exec, 16, 5, 0.2f);
            t.step(copyFirst(t)); // one real step first: momentum and running statistics are not zero
            Training.State before = t.save();
            WarmUp.Result w = WarmUp.run(t, train, 0.05);
            assertTrue(w.steps() >= 1, "the warm-up took no step");
            Training.State after = t.save();
            assertArrayEquals(before.params(), after.params(), "parameters");
            assertArrayEquals(before.state1(), after.state1(), "optimizer state");
            assertEquals(before.steps(), after.steps(), "step count");
            assertEquals(before.lr(), after.lr(), "learning rate");
        }
    }

    @Test
    void aWarmUpWithValidationAndAugmentationPutsTheModelBackToo() {
        CompiledModel model = compiled.newModel();
        model.initialize(5);
        Dataset augmented = train.augmented(new nnc.runtime.data.Augment(1, true));
        Dataset val = ExactResumeTest.images(20, 4);
        try (Exec exec = Exec.threads(2)) {
            Training t = model.newTraining(exec, 16, 5, 0.2f);
            t.step(copyFirst(t));
            Training.State before = t.save();
            WarmUp.Result w = WarmUp.run(t, augmented, model, val, 0.05);
            assertTrue(w.steps() >= 1, "the warm-up took no step");
            Training.State after = t.save();
            assertArrayEquals(before.params(), after.params(), "parameters");
            assertArrayEquals(before.state1(), after.state1(), "optimizer state");
            assertEquals(before.steps(), after.steps(), "step count");
        }
    }

    /** Ctrl-C during the warm-up ends it at the next step (it used to run on to its time limit). */
    @Test
    void aStopRequestEndsTheWarmUpAtTheNextStep() {
        CompiledModel model = compiled.newModel();
        model.initialize(5);
        try (Exec exec = Exec.threads(2)) {
            Training t = model.newTraining(exec, 16, 5, 0.2f);
            Training.State before = t.save();
            int[] asked = {0};
            WarmUp.Result w = WarmUp.run(t, train, model, ExactResumeTest.images(20, 4), 60.0, () -> ++asked[0] > 3);
            assertEquals(4, w.steps(), "a check after each step; the fourth said stop");
            assertEquals(0, w.evaluations(), "no validation after the stop");
            assertTrue(w.seconds() < 30, "the warm-up ran on: " + w.seconds() + " s");
            assertArrayEquals(before.params(), t.save().params(), "parameters");
        }
    }

    private int copyFirst(Training t) {
        train.copyBatch(null, 0, 16, t.arena(), t.inputOffset(), t.arena(), t.targetOffset(), false, null);
        return 16;
    }
}
