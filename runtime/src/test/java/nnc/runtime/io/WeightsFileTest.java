package nnc.runtime.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import nnc.runtime.model.ModelSpec;
import nnc.runtime.model.Objective;
import nnc.runtime.model.TensorSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WeightsFileTest {
    @TempDir
    Path tmp;

    static ModelSpec spec(int hidden) {
        return new ModelSpec("M", "m.nn", new int[] {3}, new int[] {2}, Objective.CLASSIFY, List.of(
                new TensorSpec("a.weight", new int[] {hidden, 3}, 0, true, ""),
                new TensorSpec("a.bias", new int[] {hidden}, hidden * 3, true, "")), hidden * 4, hidden * 4, 1L);
    }

    @Test
    void roundTripsAndLeavesNoTemporaryFiles() throws IOException {
        float[] p = new float[8];
        for (int i = 0; i < p.length; i++) {
            p[i] = i * 0.5f - 1;
        }
        Path f = tmp.resolve("w.nnw");
        WeightsFile.write(f, spec(2), p);
        WeightsFile.write(f, spec(2), p);
        float[] q = new float[8];
        WeightsFile.read(f, spec(2), q);
        assertArrayEquals(p, q);
        try (var files = Files.list(tmp)) {
            assertTrue(files.allMatch(x -> x.equals(f)), "only the weights file remains");
        }
    }

    @Test
    void aDamagedFileIsRefused() throws IOException {
        Path f = tmp.resolve("w.nnw");
        WeightsFile.write(f, spec(2), new float[8]);
        byte[] b = Files.readAllBytes(f);
        b[b.length / 2] ^= 1;
        Files.write(f, b);
        var e = assertThrows(WeightsFile.FormatException.class, () -> WeightsFile.read(f, spec(2), new float[8]));
        assertTrue(e.getMessage().contains("checksum mismatch"), e.getMessage());
    }

    @Test
    void anotherModelsFileIsRefusedWithTheShapes() throws IOException {
        Path f = tmp.resolve("w.nnw");
        WeightsFile.write(f, spec(2), new float[8]);
        var e = assertThrows(WeightsFile.FormatException.class, () -> WeightsFile.read(f, spec(3), new float[12]));
        assertTrue(e.getMessage().contains("has shape [2, 3] in the file but [3, 3]"), e.getMessage());
        Files.writeString(tmp.resolve("junk.nnw"), "not weights at all, just text");
        var j = assertThrows(WeightsFile.FormatException.class,
                () -> WeightsFile.read(tmp.resolve("junk.nnw"), spec(2), new float[8]));
        assertTrue(j.getMessage().contains("not an nnc weights file"), j.getMessage());
    }

    @Test
    void weightsOfAnotherModelAreRefusedNamingBothUnlessForced() throws IOException {
        Path f = tmp.resolve("w.nnw");
        float[] p = {1, 2, 3, 4, 5, 6, 7, 8};
        WeightsFile.write(f, spec(2), p);
        ModelSpec same = spec(2);
        ModelSpec other = new ModelSpec("Other", "o.nn", new int[] {3}, new int[] {2}, same.objective(), same.tensors(),
                8, 8, 99L);
        var e = assertThrows(WeightsFile.FormatException.class, () -> WeightsFile.read(f, other, new float[8]));
        assertTrue(e.getMessage().contains("weights of model M, not of Other"), e.getMessage());
        assertTrue(e.getMessage().contains("--force"), e.getMessage());
        float[] q = new float[8];
        WeightsFile.read(f, other, q, true);
        assertArrayEquals(p, q, "forced: the shapes match");
        ModelSpec bigger = new ModelSpec("Other", "o.nn", new int[] {3}, new int[] {3}, same.objective(),
                spec(3).tensors(), 12, 12, 99L);
        var s = assertThrows(WeightsFile.FormatException.class, () -> WeightsFile.read(f, bigger, new float[12], true));
        assertTrue(s.getMessage().contains("has shape [2, 3] in the file but [3, 3]"), s.getMessage());
        ModelSpec changed = new ModelSpec("M", "m.nn", new int[] {3}, new int[] {2}, same.objective(), same.tensors(),
                8, 8, 5L);
        var v = assertThrows(WeightsFile.FormatException.class, () -> WeightsFile.read(f, changed, new float[8]));
        assertTrue(v.getMessage().contains("another version of M"), v.getMessage());
    }
}
