package nnc.compiler.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/** Each print, println and printf reaches the system as one write, so lines of two streams cannot interleave. */
class WholeWritesTest {
    /** The bytes of each write call. */
    static final class Writes extends OutputStream {
        final List<String> calls = new ArrayList<>();

        @Override
        public void write(int b) {
            calls.add(String.valueOf((char) b));
        }

        @Override
        public void write(byte[] b, int off, int len) {
            calls.add(new String(b, off, len, StandardCharsets.UTF_8));
        }
    }

    @Test
    void eachCallIsOneWrite() {
        Writes w = new Writes();
        PrintStream s = new WholeWrites(w, StandardCharsets.UTF_8);
        s.printf(Locale.ROOT, "nnc: median epoch %.2f s; run folder %s (%s, %s)%n", 0.5, "runs/M/5", "w.nnw", "m.csv");
        s.println("test: loss=0.1 accuracy=0.9");
        s.println((Object) "é");
        s.print("\rprogress 3/10");
        s.println(42);
        s.println(0.5f);
        s.println(new char[] {'o', 'k'});
        String nl = System.lineSeparator();
        assertEquals(List.of("nnc: median epoch 0.50 s; run folder runs/M/5 (w.nnw, m.csv)" + nl,
                "test: loss=0.1 accuracy=0.9" + nl, "é" + nl, "\rprogress 3/10", "42" + nl, "0.5" + nl, "ok" + nl),
                w.calls);
    }

    @Test
    void theJdksOwnStreamWritesAPrintfInPieces() {
        Writes w = new Writes();
        new PrintStream(w, true, StandardCharsets.UTF_8).printf(Locale.ROOT, "a %s b%n", "x");
        assertEquals(true, w.calls.size() > 1, "the reason for WholeWrites: " + w.calls);
    }
}
