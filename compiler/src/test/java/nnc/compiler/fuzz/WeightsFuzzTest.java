package nnc.compiler.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32;
import nnc.runtime.io.WeightsFile;
import nnc.runtime.io.WeightsReader;
import nnc.runtime.model.ModelSpec;
import nnc.runtime.model.Objective;
import nnc.runtime.model.TensorSpec;

/**
 * The weights reader on arbitrary contents for a small model: it loads them or throws a
 * {@link WeightsFile.FormatException}; the parameters change only when it loads, and then
 * every one is finite. Most inputs get a correct checksum, so the fuzzer reaches the fields
 * behind it. The seed is a valid file plus the byte that asks for the checksum to be fixed.
 */
class WeightsFuzzTest {
    static final ModelSpec SPEC = new ModelSpec("Tiny", "tiny.nn", new int[] {3}, new int[] {2}, Objective.CLASSIFY,
            List.of(new TensorSpec("linear_1.weight", new int[] {2, 3}, 0, true, ""),
                new TensorSpec("linear_1.bias", new int[] {2}, 6, true, "")), 8, 8, 42L);

    private static final Path file = Path.of("fuzzed.nnw");

    @FuzzTest(maxDuration = "5s")
    void weights(FuzzedDataProvider data) throws IOException {
        byte[] bytes = bytes(data);
        float[] params = new float[SPEC.paramCount()];
        Arrays.fill(params, 7f);
        try {
            WeightsReader.parse(file, bytes, SPEC, params, false);
            for (float p : params) {
                ReaderFuzzTest.check(Float.isFinite(p), "a loaded weight is not finite");
            }
        } catch (WeightsFile.FormatException e) {
            for (float p : params) {
                ReaderFuzzTest.check(p == 7f, "a rejected file changed the parameters");
            }
            ReaderFuzzTest.check(e.getMessage().startsWith(file.toString()), e.getMessage());
        }
    }

    private static Path checkpointFile;

    /** The input's bytes, their trailing checksum fixed when its first choice says so. */
    private static byte[] bytes(FuzzedDataProvider data) {
        boolean fixChecksum = data.consumeBoolean();
        byte[] bytes = data.consumeRemainingAsBytes();
        if (fixChecksum && bytes.length >= 4) {
            CRC32 crc = new CRC32();
            crc.update(bytes, 0, bytes.length - 4);
            ByteBuffer.wrap(bytes).putInt(bytes.length - 4, (int) crc.getValue());
        }
        return bytes;
    }

    @org.junit.jupiter.api.BeforeAll
    static void makeFile() throws IOException {
        Path shm = Path.of("/dev/shm");
        checkpointFile = java.nio.file.Files.isDirectory(shm) && java.nio.file.Files.isWritable(shm)
                ? java.nio.file.Files.createTempFile(shm, "nnc-fuzz", ".nnck") : java.nio.file.Files.createTempFile("nnc-fuzz", ".nnck");
    }

    @org.junit.jupiter.api.AfterAll
    static void removeFile() throws IOException {
        java.nio.file.Files.deleteIfExists(checkpointFile);
    }

    /** A checkpoint ({@code --weights X.nnck}, {@code --resume}): read, or a FormatException; never memory from a count. */
    @FuzzTest(maxDuration = "5s")
    void checkpoint(FuzzedDataProvider data) throws IOException {
        byte[] bytes = bytes(data);
        java.nio.file.Files.write(checkpointFile, bytes);
        try {
            nnc.runtime.io.CheckpointFile.read(checkpointFile, null);
        } catch (WeightsFile.FormatException e) {
            ReaderFuzzTest.check(e.getMessage().startsWith(checkpointFile.toString()), e.getMessage());
        }
    }
}
