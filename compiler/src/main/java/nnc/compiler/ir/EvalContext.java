package nnc.compiler.ir;

/** What reference evaluation needs besides the inputs. */
public interface EvalContext {
    /** Rows in the batch. */
    int rows();

    /** The dropout key of the step being evaluated. */
    int stepKey();

    /** Where loss nodes add {@code [summed loss, rows predicted right]}. */
    double[] stats();
}
