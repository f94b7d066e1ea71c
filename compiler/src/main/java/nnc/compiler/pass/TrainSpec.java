package nnc.compiler.pass;

import nnc.compiler.diag.Span;
import nnc.compiler.ir.LossKind;
import nnc.runtime.train.EarlyStopping;
import nnc.runtime.train.LrSchedule;

/**
 * A checked {@code train} declaration.
 *
 * @param validationSplit fraction of the training data held out for validation, 0 for none
 * @param stop            early stopping, or null
 */
public record TrainSpec(LossKind loss, Span lossSpan, OptimizerSpec optimizer, Span optimizerSpan, int batch, boolean shuffle, int epochs, long seed,
                        double validationSplit, LrSchedule schedule, EarlyStopping stop, String data, Span dataSpan,
                        Span span) {

    /** An optimizer and its hyperparameters, as torch.optim names them. */
    public record OptimizerSpec(Kind kind, float lr, float momentum, boolean nesterov, float beta1, float beta2,
                                float eps, float weightDecay) {
        public enum Kind {
            SGD, ADAM, ADAMW
        }

        /** Optimizer state arrays per parameter: 0 (plain SGD), 1 (momentum) or 2 (Adam). */
        public int stateArrays() {
            return switch (kind) {
                case SGD -> momentum != 0f ? 1 : 0;
                case ADAM, ADAMW -> 2;
            };
        }
    }

    public TrainSpec withEpochs(int e) {
        return new TrainSpec(loss, lossSpan, optimizer, optimizerSpan, batch, shuffle, e, seed, validationSplit, schedule, stop, data,
                dataSpan, span);
    }
}
