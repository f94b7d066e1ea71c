package nnc.compiler.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import nnc.runtime.data.CifarDataset;
import nnc.runtime.data.CsvDataset;
import nnc.runtime.data.DataFileException;
import nnc.runtime.data.Dataset;
import nnc.runtime.data.Idx;
import nnc.runtime.data.IdxDataset;

/**
 * The data readers on arbitrary contents: each either reads what the file holds or throws a
 * {@link DataFileException} naming the file and the place; any other exception (an index out
 * of bounds, a negative array size, running out of memory) is a finding. The readers' in-memory
 * entry points are fuzzed (the file layer above them only opens and sizes files), and what
 * they read must be usable.
 */
class ReaderFuzzTest {
    private static final Path FILE = Path.of("fuzzed");

    /** An IDX file, plain or gzipped (the seeds have both). */
    @FuzzTest(maxDuration = "5s")
    void idx(byte[] input) throws IOException {
        try {
            Idx.Array a = Idx.parse(FILE, input);
            long n = 1;
            for (int d : a.dims()) {
                n *= d;
            }
            check(a.data().length == n, "header and data disagree");
        } catch (DataFileException e) {
            placed(e);
        }
    }

    /** Images and labels of one split: two parts, each a big-endian u16 length and that many bytes. */
    @FuzzTest(maxDuration = "5s")
    void idxDataset(byte[] input) throws IOException {
        ByteBuffer in = ByteBuffer.wrap(input);
        byte[][] parts = new byte[2][];
        for (int i = 0; i < 2; i++) {
            int len = in.remaining() >= 2 ? Math.min(in.getShort() & 0xFFFF, in.remaining()) : 0;
            parts[i] = new byte[len];
            in.get(parts[i]);
        }
        try {
            Dataset d = IdxDataset.part("fuzz", FILE, Idx.parse(FILE, parts[0]), FILE, Idx.parse(FILE, parts[1]));
            sane(d);
        } catch (DataFileException e) {
            placed(e);
        }
    }

    /** One CIFAR-10 batch file. */
    @FuzzTest(maxDuration = "5s")
    void cifar(byte[] input) throws IOException {
        try {
            sane(CifarDataset.parse("fuzz", FILE, input));
        } catch (DataFileException e) {
            placed(e);
        }
    }

    /** A CSV file with 1 to 3 target columns. */
    @FuzzTest(maxDuration = "5s")
    void csv(FuzzedDataProvider data) throws IOException {
        int targets = data.consumeInt(1, 3);
        String text = new String(data.consumeRemainingAsBytes(), StandardCharsets.UTF_8);
        try {
            Dataset d = CsvDataset.parse(FILE, new StringReader(text), targets);
            sane(d);
            check(d.targetSize() == targets, "target columns");
        } catch (DataFileException e) {
            placed(e);
        }
    }

    /** What was read is usable: batches copy out, every value finite. */
    private static void sane(Dataset d) {
        int n = Math.min(d.size(), 4);
        float[] x = new float[n * d.sampleSize()];
        float[] t = new float[n * d.targetSize()];
        d.copyBatch(null, 0, n, x, 0, t, 0, false, null);
        for (float v : x) {
            check(Float.isFinite(v), "a sample value is not finite");
        }
        for (float v : t) {
            check(Float.isFinite(v), "a target is not finite");
        }
    }

    private static void placed(DataFileException e) {
        check(e.getMessage().startsWith(FILE.toString()), "the message names the file: " + e.getMessage());
    }

    static void check(boolean ok, String what) {
        if (!ok) {
            throw new AssertionError(what);
        }
    }
}
