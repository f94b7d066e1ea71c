package nnc.runtime.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Set;
import org.junit.jupiter.api.Test;

/** A model jar's command line: numbers have bounds (more threads than cores never finished). */
class ArgsTest {
    private static Args args(String... a) throws Args.UsageException {
        return new Args(a, 0, Set.of("--threads", "--top"), Set.of());
    }

    @Test
    void numbersOutOfBoundsAreUsageErrors() throws Exception {
        assertEquals(2, args("--threads", "2").intValue("--threads", 1, 1, 4, " (the cores)"));
        assertEquals(3, args().intValue("--threads", 3, 1, 4, ""));
        var many = assertThrows(Args.UsageException.class,
                () -> args("--threads=1000").intValue("--threads", 1, 1, 4, " (the cores of this machine)"));
        assertEquals("--threads must be between 1 and 4 (the cores of this machine), got 1000", many.getMessage());
        var none = assertThrows(Args.UsageException.class, () -> args("--top", "0").intValue("--top", 1, 1));
        assertEquals("--top must be >= 1, got 0", none.getMessage());
        var word = assertThrows(Args.UsageException.class, () -> args("--top", "x").intValue("--top", 1, 1));
        assertEquals("--top needs a whole number, got 'x'", word.getMessage());
        assertEquals("unknown option '--frobnicate'", assertThrows(Args.UsageException.class,
                () -> args("--frobnicate")).getMessage());
    }

    /** nnc's own command line refuses a repeated option; so does the jar's, rather than keep the last. */
    @Test
    void anOptionGivenTwiceIsAUsageError() {
        assertEquals("--top is given twice", assertThrows(Args.UsageException.class,
                () -> args("--top", "3", "--top=4")).getMessage());
    }
}
