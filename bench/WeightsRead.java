import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The floor under batch-1 latency on this machine: the time one core takes just to read a
 * model's weights once, with no arithmetic but a vector add per load. A prediction of one
 * sample reads every weight once, so no implementation, in any language, predicts faster
 * than this unless the weights stay in L1 (they do not: the MNIST MLP's are 940 KB).
 *
 *   java --add-modules jdk.incubator.vector bench/WeightsRead.java WEIGHTS.nnw
 *
 * A worker of bench/compare_infer.py, with the protocol of "nnc bench infer --serve":
 * "run 1 1 RUNS" answers the median seconds of one read (the faster of two access patterns,
 * each timed RUNS times), "quit" ends. The buffer is as large as the weights file, off-heap
 * and aligned to 64 bytes: the best case for the loads (an aligned heap array cannot be had).
 *
 * Patterns: one stream front to back, and four streams over the four quarters at once (the
 * faster here on some runs: more misses in flight).
 */
public class WeightsRead {
    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    static final int L = S.length();

    public static void main(String[] args) throws IOException {
        long bytes = Files.size(Path.of(args[0]));
        int block = 16 * L;  // four quarters of whole groups of four vectors
        int floats = (int) ((bytes / 4 + block - 1) / block * block);
        MemorySegment w = Arena.global().allocate(4L * floats, 64);
        for (int i = 0; i < floats; i++) {
            w.setAtIndex(ValueLayout.JAVA_FLOAT, i, (i % 97) * 0.01f);
        }
        float sink = 0;
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in));
        String line;
        while ((line = in.readLine()) != null) {
            String[] words = line.trim().split("\\s+");
            if (words[0].equals("quit")) {
                break;
            }
            if (!words[0].equals("run") || words.length != 4) {
                System.out.println("error: expected 'run 1 1 RUNS' or 'quit'");
                continue;
            }
            int runs = Integer.parseInt(words[3]);
            long[] one = new long[runs];
            long[] four = new long[runs];
            for (int r = 0; r < runs; r++) {
                long t0 = System.nanoTime();
                sink += oneStream(w, floats);
                long t1 = System.nanoTime();
                sink += fourStreams(w, floats);
                one[r] = t1 - t0;
                four[r] = System.nanoTime() - t1;
            }
            Arrays.sort(one);
            Arrays.sort(four);
            System.out.println(Math.min(one[runs / 2], four[runs / 2]) / 1e9);
        }
        if (sink == 42) {
            System.err.println("(sink)");
        }
    }

    static float oneStream(MemorySegment w, int n) {
        ByteOrder le = ByteOrder.LITTLE_ENDIAN;
        FloatVector a = FloatVector.zero(S), b = FloatVector.zero(S), c = FloatVector.zero(S), d = FloatVector.zero(S);
        int step = 4 * L;
        for (int q = 0; q < n; q += step) {
            long at = 4L * q;
            a = a.add(FloatVector.fromMemorySegment(S, w, at, le));
            b = b.add(FloatVector.fromMemorySegment(S, w, at + 4L * L, le));
            c = c.add(FloatVector.fromMemorySegment(S, w, at + 8L * L, le));
            d = d.add(FloatVector.fromMemorySegment(S, w, at + 12L * L, le));
        }
        return a.add(b).add(c).add(d).reduceLanes(VectorOperators.ADD);
    }

    static float fourStreams(MemorySegment w, int n) {
        ByteOrder le = ByteOrder.LITTLE_ENDIAN;
        FloatVector a = FloatVector.zero(S), b = FloatVector.zero(S), c = FloatVector.zero(S), d = FloatVector.zero(S);
        int quarter = n / 4;
        long q1 = 4L * quarter;
        for (int q = 0; q < quarter; q += L) {
            long at = 4L * q;
            a = a.add(FloatVector.fromMemorySegment(S, w, at, le));
            b = b.add(FloatVector.fromMemorySegment(S, w, at + q1, le));
            c = c.add(FloatVector.fromMemorySegment(S, w, at + 2 * q1, le));
            d = d.add(FloatVector.fromMemorySegment(S, w, at + 3 * q1, le));
        }
        return a.add(b).add(c).add(d).reduceLanes(VectorOperators.ADD);
    }
}
