package nnc.compiler.runs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Trainings started at once: each gets a run folder of its own, and {@code latest} ends on the newest. */
class LatestLinkTest {
    static final int AT_ONCE = 4;

    @TempDir
    Path tmp;

    @Test
    void runsCreatedAtOnceGetTheirOwnFoldersAndLatestIsTheNewest() throws Exception {
        for (int round = 0; round < 50; round++) {
            Path models = tmp.resolve("round " + round);
            CyclicBarrier start = new CyclicBarrier(AT_ONCE);
            List<Throwable> failures = Collections.synchronizedList(new ArrayList<>());
            List<Path> created = Collections.synchronizedList(new ArrayList<>());
            List<Thread> threads = new ArrayList<>();
            for (int i = 0; i < AT_ONCE; i++) {
                Thread t = new Thread(() -> {
                    try {
                        start.await();
                        created.add(Runs.createNext(models).dir());
                    } catch (Throwable e) {
                        failures.add(e);
                    }
                });
                t.start();
                threads.add(t);
            }
            for (Thread t : threads) {
                t.join();
            }
            assertEquals(List.of(), failures, "round " + round);
            assertEquals(AT_ONCE, created.stream().distinct().count(), created::toString);
            Path latest = models.resolve(Runs.LATEST);
            assertTrue(Files.isSymbolicLink(latest), "round " + round + ": latest is a link, not a file");
            assertEquals(Path.of(String.valueOf(AT_ONCE)), Files.readSymbolicLink(latest), "round " + round);
            try (var names = Files.list(models)) {
                assertEquals(List.of(), names.filter(p -> p.getFileName().toString().endsWith(".tmp")).toList());
            }
        }
    }
}
