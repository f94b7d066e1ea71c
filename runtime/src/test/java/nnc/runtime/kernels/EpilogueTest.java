package nnc.runtime.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Which leading steps a kernel may take over: only the ones whose operands it holds, laid out
 * where it thinks they are.
 */
class EpilogueTest {
    private static final Elementwise ELT = Kernels.backend().elementwise();

    @Test
    void activationGradientSlopeOnlyForTheKernelsOwnInputAtItsOwnOffset() {
        float[] x = new float[100];
        float[] other = new float[100];
        Epilogue relu = new Epilogue(ELT, 10, List.of(new Epilogue.ActivationGrad(Act.RELU, 0f, x, 30)));
        assertEquals(0f, relu.leadingActivationGradSlope(x, 30, 10));
        assertEquals(0f, relu.leadingActivationGradSlope(x, 50, 30), "the same distance further on");
        assertTrue(Float.isNaN(relu.leadingActivationGradSlope(x, 31, 10)), "shifted by one element");
        assertTrue(Float.isNaN(relu.leadingActivationGradSlope(other, 30, 10)), "another array");

        Epilogue leaky = new Epilogue(ELT, 0, List.of(new Epilogue.ActivationGrad(Act.LEAKY_RELU, 0.1f, x, 0)));
        assertEquals(0.1f, leaky.leadingActivationGradSlope(x, 0, 0));
        // 0 * -0.1 is -0: an element given no gradient would turn -0, so the kernel must not take it
        Epilogue negative = new Epilogue(ELT, 0, List.of(new Epilogue.ActivationGrad(Act.LEAKY_RELU, -0.1f, x, 0)));
        assertTrue(Float.isNaN(negative.leadingActivationGradSlope(x, 0, 0)));

        Epilogue tanh = new Epilogue(ELT, 0, List.of(new Epilogue.ActivationGrad(Act.TANH, 0f, x, 0)));
        assertTrue(Float.isNaN(tanh.leadingActivationGradSlope(x, 0, 0)), "not a (leaky) ReLU");
        Epilogue second = new Epilogue(ELT, 0, List.of(new Epilogue.Scale(2f),
                new Epilogue.ActivationGrad(Act.RELU, 0f, x, 0)));
        assertTrue(Float.isNaN(second.leadingActivationGradSlope(x, 0, 0)), "not the first step");
        assertTrue(Float.isNaN(Epilogue.NONE.leadingActivationGradSlope(x, 0, 0)));
    }
}
