package nnc.compiler.pass;

import nnc.compiler.diag.Diagnostics;

/**
 * One stage of the compiler: a function from its input to its output that reports the
 * user's mistakes to {@code d} instead of throwing. What a stage needs besides its input (the
 * other declarations, the mode, the fusion switch) it takes when it is constructed, so every
 * stage has this one shape and {@code Pipeline} reads as the list of them.
 *
 * @param <I> what the stage reads
 * @param <O> what it produces
 */
@FunctionalInterface
public interface Pass<I, O> {
    /** The output, or null when a mistake reported to {@code d} leaves nothing to go on with. */
    O run(I in, Diagnostics d);
}
