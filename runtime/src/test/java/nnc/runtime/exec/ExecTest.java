package nnc.runtime.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

class ExecTest {
    @Test
    void everyIndexRunsExactlyOnceAcrossManyJobs() {
        try (Exec ex = Exec.threads(2)) {
            for (int job = 0; job < 20000; job++) {
                int tasks = 1 + job % 37;
                AtomicIntegerArray seen = new AtomicIntegerArray(tasks);
                ex.run(tasks, (i, w) -> {
                    seen.incrementAndGet(i);
                    assertTrue(w == 0 || w == 1);
                });
                for (int i = 0; i < tasks; i++) {
                    assertEquals(1, seen.get(i), "job " + job + " index " + i);
                }
            }
        }
    }

    @Test
    void aFailingTaskFailsTheCallAndTheExecStaysUsable() {
        try (Exec ex = Exec.threads(2)) {
            assertThrows(IllegalStateException.class, () -> ex.run(10, (i, w) -> {
                if (i == 7) {
                    throw new IllegalStateException("boom");
                }
            }));
            AtomicIntegerArray seen = new AtomicIntegerArray(5);
            ex.run(5, (i, w) -> seen.incrementAndGet(i));
            for (int i = 0; i < 5; i++) {
                assertEquals(1, seen.get(i));
            }
        }
    }

    @Test
    void workspacesGrowAndKeepTheirArrays() {
        Workspace ws = new Workspace();
        float[] a = ws.floats(Workspace.Buffer.CONV_COL, 100);
        assertTrue(a.length >= 100);
        assertTrue(ws.floats(Workspace.Buffer.CONV_COL, 50) == a, "a smaller request reuses the buffer");
        assertTrue(ws.floats(Workspace.Buffer.CONV_COL, 1000).length >= 1000);
    }
}
