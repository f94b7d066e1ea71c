package nnc.runtime.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import nnc.runtime.model.ModelSpec;
import nnc.runtime.model.Training;
import nnc.runtime.train.Checkpoint;
import nnc.runtime.train.EpochResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointFileTest {
    @TempDir
    Path tmp;

    static Checkpoint sample(float scale, boolean best) {
        float[] p = new float[8];
        for (int i = 0; i < p.length; i++) {
            p[i] = scale * (i - 3.5f);
        }
        return new Checkpoint("M", 1L, new Training.State(p, new float[] {1, 2, 3, 4, 5, 6, 7, 8}, new float[8], 77, 0.01f),
                new Checkpoint.Loop(3, 64, new int[] {4, 2, 0, 1, 3}, -5L, 12345L, 1.25, 60, 2.5,
                        new double[] {0.5, 2, 0.1}, 0.91, 1, 2), best ? p.clone() : null,
                List.of(new EpochResult(1, 1.5, 0.7, 0.5, 0.6, 0.55, 0.01f, 5),
                        new EpochResult(2, 1.4, 0.6, 0.6, Double.NaN, Double.NaN, 0.005f, 5)));
    }

    @Test
    void roundTripsEveryField() throws IOException {
        Path f = tmp.resolve("c.nnck");
        Checkpoint c = sample(1, true);
        CheckpointFile.write(f, c);
        Checkpoint r = CheckpointFile.read(f, WeightsFileTest.spec(2));
        assertEquals(c.model(), r.model());
        assertArrayEquals(c.training().params(), r.training().params());
        assertArrayEquals(c.training().state1(), r.training().state1());
        assertEquals(77, r.training().steps());
        assertEquals(0.01f, r.training().lr());
        assertArrayEquals(c.loop().order(), r.loop().order());
        assertArrayEquals(c.loop().schedule(), r.loop().schedule());
        assertEquals(c.loop(), new Checkpoint.Loop(r.loop().epoch(), r.loop().position(), c.loop().order(),
                r.loop().shuffleState(), r.loop().augmentState(), r.loop().lossSum(), r.loop().correct(),
                r.loop().seconds(), c.loop().schedule(), r.loop().stopBest(), r.loop().stopBad(), r.loop().bestEpoch()));
        assertArrayEquals(c.bestParams(), r.bestParams());
        assertEquals(c.history(), r.history());
        CheckpointFile.write(f, sample(1, false));
        assertNull(CheckpointFile.read(f, null).bestParams());
    }

    @Test
    void aDamagedOrForeignCheckpointIsRefused() throws IOException {
        Path f = tmp.resolve("c.nnck");
        CheckpointFile.write(f, sample(1, false));
        byte[] b = Files.readAllBytes(f);
        b[b.length / 3] ^= 4;
        Files.write(tmp.resolve("bad.nnck"), b);
        var e = assertThrows(WeightsFile.FormatException.class, () -> CheckpointFile.read(tmp.resolve("bad.nnck"), null));
        assertTrue(e.getMessage().contains("checksum mismatch"), e.getMessage());
        ModelSpec other = new ModelSpec("Other", "o.nn", new int[] {3}, new int[] {2}, WeightsFileTest.spec(2).objective(),
                WeightsFileTest.spec(2).tensors(), 8, 8, 2L);
        var f2 = assertThrows(WeightsFile.FormatException.class, () -> CheckpointFile.read(f, other));
        assertTrue(f2.getMessage().contains("checkpoint of model M, not of Other"), f2.getMessage());
        Files.writeString(tmp.resolve("junk.nnck"), "some text that is long enough");
        var j = assertThrows(WeightsFile.FormatException.class, () -> CheckpointFile.read(tmp.resolve("junk.nnck"), null));
        assertTrue(j.getMessage().contains("not an nnc checkpoint"), j.getMessage());
    }

    @Test
    void aTornTemporaryFileLeavesTheLastCheckpointWhole() throws IOException {
        Path f = tmp.resolve("c.nnck");
        CheckpointFile.write(f, sample(1, false));
        // What a process killed halfway through the next write leaves: half a temporary file.
        Path torn = tmp.resolve(".c.nnck.tmp");
        CheckpointFile.write(tmp.resolve("next.nnck"), sample(2, false));
        byte[] next = Files.readAllBytes(tmp.resolve("next.nnck"));
        Files.write(torn, java.util.Arrays.copyOf(next, next.length / 2));
        assertArrayEquals(sample(1, false).training().params(), CheckpointFile.read(f, null).training().params());
        CheckpointFile.write(f, sample(2, false));
        assertArrayEquals(sample(2, false).training().params(), CheckpointFile.read(f, null).training().params());
        assertTrue(Files.notExists(torn), "the next write replaces the torn temporary file");
    }
}
