package nnc.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** When a .nn file is regenerated: content and options decide, and a deleted source takes its output along. */
class StampsTest {
    @TempDir
    Path tmp;

    @Test
    void aSourceIsUpToDateUntilItsTextOrTheOptionsChange() throws Exception {
        Path src = Files.createDirectories(tmp.resolve("src/main/nn"));
        Path nn = Files.writeString(Files.createDirectories(src.resolve("sub")).resolve("m.nn"), "model M {}\n");
        Path out = Files.writeString(tmp.resolve("M.java"), "class M {}");
        Stamps stamps = new Stamps(tmp.resolve("stamps"), src, "pkg|1");
        assertFalse(stamps.upToDate(nn), "never generated");
        stamps.record(nn, out);
        assertTrue(stamps.upToDate(nn));
        Files.setLastModifiedTime(nn, FileTime.fromMillis(System.currentTimeMillis() + 60_000));
        assertTrue(stamps.upToDate(nn), "a touch changes nothing");
        assertFalse(new Stamps(tmp.resolve("stamps"), src, "other|1").upToDate(nn), "another package regenerates");
        Files.writeString(nn, "model M { }\n");
        assertFalse(stamps.upToDate(nn), "an edit regenerates");
        stamps.record(nn, out);
        Files.delete(out);
        assertFalse(stamps.upToDate(nn), "a deleted output regenerates");
    }

    @Test
    void aDeletedSourceTakesItsGeneratedFileAlong() throws Exception {
        Path src = Files.createDirectories(tmp.resolve("nn"));
        Path a = Files.writeString(src.resolve("a.nn"), "a");
        Path b = Files.writeString(src.resolve("b.nn"), "b");
        Path aJava = Files.writeString(tmp.resolve("A.java"), "");
        Path bJava = Files.writeString(tmp.resolve("B.java"), "");
        Stamps stamps = new Stamps(tmp.resolve("stamps"), src, "p");
        stamps.record(a, aJava);
        stamps.record(b, bJava);
        Files.delete(b);
        stamps.removeOrphans(List.of(a.toAbsolutePath().normalize()));
        assertTrue(Files.exists(aJava));
        assertFalse(Files.exists(bJava));
        assertEquals(1, Files.list(tmp.resolve("stamps")).count());
    }
}
