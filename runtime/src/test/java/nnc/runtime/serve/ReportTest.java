package nnc.runtime.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** How text output writes a probability: six significant digits, tiny ones with an exponent. */
class ReportTest {
    @Test
    void probabilitiesHaveSixDigitsAndTinyOnesAnExponent() {
        assertEquals("0.01", Report.format(0.0100000005f));
        assertEquals("0.999777", Report.format(0.99977732f));
        assertEquals("1", Report.format(1f));
        assertEquals("0", Report.format(0f));
        assertEquals("2.19215E-18", Report.format(2.19215e-18f));
        assertEquals("3.63234E-7", Report.format(3.6323408e-7f));
        assertEquals("NaN", Report.format(Float.NaN));
    }
}
