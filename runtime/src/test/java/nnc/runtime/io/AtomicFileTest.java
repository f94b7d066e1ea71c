package nnc.runtime.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFileTest {
    @TempDir
    Path tmp;

    /** A full disk: the temporary file is /dev/full, whose every write fails with ENOSPC. */
    @Test
    void aFullDiskNamesTheFileKeepsTheOldContentAndLeavesNoTemporaryFile() throws IOException {
        assumeTrue(Files.isWritable(Path.of("/dev/full")), "needs /dev/full (Linux)");
        Path f = tmp.resolve("checkpoint.nnck");
        Files.write(f, new byte[] {1, 2, 3});
        Path temporary = tmp.resolve(".checkpoint.nnck.tmp");
        Files.createSymbolicLink(temporary, Path.of("/dev/full"));
        IOException e = assertThrows(IOException.class, () -> AtomicFile.write(f, new byte[1 << 20]));
        assertTrue(e.getMessage().contains(f.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("No space left on device"), e.getMessage());
        assertArrayEquals(new byte[] {1, 2, 3}, Files.readAllBytes(f));
        assertFalse(Files.exists(temporary, LinkOption.NOFOLLOW_LINKS), "the failed write's temporary file is deleted");
    }

    @Test
    void aRenameThatFailsLeavesNoTemporaryFile() throws IOException {
        Path f = tmp.resolve("weights.nnw");
        Files.createDirectories(f.resolve("in the way"));
        assertThrows(IOException.class, () -> AtomicFile.write(f, new byte[] {1, 2, 3}));
        assertTrue(Files.isDirectory(f.resolve("in the way")));
        assertFalse(Files.exists(tmp.resolve(".weights.nnw.tmp")), "the temporary file is deleted");
    }
}
