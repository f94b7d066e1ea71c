package nnc.compiler.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import nnc.compiler.TestModels;
import nnc.compiler.cli.CliRun;
import nnc.runtime.data.CifarDataset;
import nnc.runtime.data.Dataset;
import nnc.runtime.data.IdxDataset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CIFAR-10 reader and the residual sample, on a fixture written in CIFAR's binary format. */
class CifarTest {
    @TempDir
    Path tmp;

    @Test
    void theReaderGivesEveryLabelAndPixelChannelsFirst() throws IOException {
        Path dir = CifarFixture.write(tmp.resolve("cifar10"), 12);
        IdxDataset.Splits s = CifarDataset.load("cifar10", dir);
        assertEquals(5 * 12, s.train().size(), "five training batches");
        assertEquals(12, s.test().size());
        assertEquals(java.util.List.of(3, 32, 32), java.util.Arrays.stream(s.train().sampleShape()).boxed().toList());
        assertEquals(10, s.train().classes());
        check(s.train(), 12);
        check(s.test(), 12);
    }

    /** Every sample's label and each of its 3072 values: the byte / 255, channel-major. */
    private static void check(Dataset d, int perFile) {
        float[] x = new float[3 * 32 * 32];
        float[] t = new float[1];
        for (int i = 0; i < d.size(); i++) {
            d.copyBatch(null, i, 1, x, 0, t, 0, false, null);
            int r = i % perFile;
            assertEquals(r % 10, (int) t[0], "label of sample " + i);
            for (int c = 0; c < 3; c++) {
                for (int y = 0; y < 32; y++) {
                    for (int xx = 0; xx < 32; xx++) {
                        float expected = CifarFixture.pixel(r % 10, r, c, y, xx) / 255f;
                        assertEquals(expected, x[c * 1024 + y * 32 + xx], 1e-6f,
                                "sample " + i + " channel " + c + " at " + y + "," + xx);
                    }
                }
            }
        }
    }

    @Test
    void theBatchesMayBeInTheFolderTheArchiveUnpacksTo() throws IOException {
        CifarFixture.write(tmp.resolve("cifar10/cifar-10-batches-bin"), 2);
        assertEquals(tmp.resolve("cifar10/cifar-10-batches-bin"), CifarDataset.locate(tmp.resolve("cifar10")));
        assertNull(CifarDataset.locate(tmp));
    }

    @Test
    void aTruncatedBatchIsRefused() throws IOException {
        Path dir = CifarFixture.write(tmp.resolve("cifar10"), 2);
        byte[] b = Files.readAllBytes(dir.resolve("data_batch_3.bin"));
        Files.write(dir.resolve("data_batch_3.bin"), java.util.Arrays.copyOf(b, b.length - 100));
        IOException e = assertThrows(IOException.class, () -> CifarDataset.load("cifar10", dir));
        assertTrue(e.getMessage().contains("data_batch_3.bin"), e.getMessage());
    }

    @Test
    void theResidualSampleTrainsOnTheFixtureWithPerChannelStatistics() throws IOException {
        CifarFixture.write(tmp.resolve("datasets/cifar10"), 8);
        Path sample = TestModels.root().resolve("samples/cifar_resnet.nn");
        assertTrue(Files.readString(sample).contains("normalize(mean: [0.4914, 0.4822, 0.4465]"),
                "the sample normalises each channel by CIFAR-10's own statistics");
        CliRun r = CliRun.of("train", sample.toString(), "--data", tmp.resolve("datasets").toString(), "--epochs", "1",
                "--batch", "8", "--out", tmp.resolve("run").toString(), "--threads", "1");
        assertEquals(0, r.exit(), r::toString);
        assertTrue(r.err().contains("cifar: 36 training samples, 4 validation samples; 8 test samples"), r::toString);
        assertTrue(r.out().strip().matches("(?s).*test: loss=\\d+\\.\\d{4} accuracy=0\\.\\d{4}"), r::toString);
        assertTrue(Files.exists(tmp.resolve("run/curves.png")));
    }
}
