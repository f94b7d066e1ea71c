package nnc.compiler.runs;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;

/**
 * One training run's folder (docs/formats.md, "Run folders"). nnc writes only these names in
 * it, and never one of an earlier run:
 *
 * <pre>
 *   run.properties     the resolved settings, the source's name, path and SHA-256 (written first, never changed)
 *   source.nn          the .nn text the run was compiled from (what --resume compiles)
 *   checkpoint.nnck    the last checkpoint (replaced atomically)
 *   metrics.csv        one row per finished epoch
 *   curves.png         loss, accuracy and learning rate per epoch, train and validation (drawn after each epoch)
 *   weights.nnw        the result, written when the run ends normally (the best epoch's with early stopping)
 *   best.nnw           the best epoch's weights of a run that diverged, when early stopping kept some
 *   result.properties  how the run ended: status, epochs, the final metrics, the test figures
 *   .lock              locked while a process trains in the folder
 * </pre>
 */
public final class RunFolder {
    public static final String SETTINGS = "run.properties";
    public static final String SOURCE = "source.nn";
    public static final String CHECKPOINT = "checkpoint.nnck";
    public static final String METRICS = "metrics.csv";
    public static final String CURVES = "curves.png";
    public static final String WEIGHTS = "weights.nnw";
    public static final String BEST = "best.nnw";
    public static final String RESULT = "result.properties";
    private static final String LOCK = ".lock";
    private static final List<String> NAMES = List.of(SETTINGS, SOURCE, CHECKPOINT, METRICS, CURVES, WEIGHTS, BEST,
            RESULT);
    /** Every name nnc writes here: the files, their temporaries ({@code .NAME.tmp}) and the lock. */
    private static final List<String> FILES = java.util.stream.Stream.concat(java.util.stream.Stream.concat(
            NAMES.stream(), NAMES.stream().map(n -> "." + n + ".tmp")), java.util.stream.Stream.of(LOCK)).toList();

    private final Path dir;

    private RunFolder(Path dir) {
        this.dir = dir;
    }

    public static RunFolder at(Path dir) {
        return new RunFolder(dir);
    }

    public Path dir() {
        return dir;
    }

    public Path file(String name) {
        return dir.resolve(name);
    }

    /** Whether a run was started here (a previous nnc output folder counts too). */
    public boolean holdsRun() {
        if (!Files.isDirectory(dir)) {
            return false;
        }
        try (var files = Files.list(dir)) {
            return files.anyMatch(f -> f.getFileName().toString().endsWith(".nnw")
                    || FILES.contains(f.getFileName().toString()));
        } catch (IOException e) {
            return false;
        }
    }

    /** Whether the folder has files nnc did not write (then it is never used or cleared). */
    public boolean holdsOtherFiles() throws IOException {
        if (!Files.isDirectory(dir)) {
            return false;
        }
        try (var files = Files.list(dir)) {
            return files.anyMatch(f -> !FILES.contains(f.getFileName().toString())
                    && !f.getFileName().toString().endsWith(".nnw"));
        }
    }

    /** Deletes what a run wrote here (for {@code --overwrite}) but the lock; other files are left alone. */
    public void clear() throws IOException {
        try (var files = Files.list(dir)) {
            for (Path f : files.toList()) {
                String name = f.getFileName().toString();
                if ((FILES.contains(name) || name.endsWith(".nnw")) && !name.equals(LOCK)) {
                    Files.deleteIfExists(f);
                }
            }
        }
    }

    public boolean exists(String name) {
        return Files.isRegularFile(dir.resolve(name));
    }

    public Map<String, String> settings() throws IOException {
        if (!exists(SETTINGS)) {
            throw new IOException(Runs.display(dir) + " is not a run folder (it has no " + SETTINGS + ")");
        }
        Map<String, String> s = KeyValues.read(file(SETTINGS));
        for (String key : List.of("model", "source")) {
            if (s.getOrDefault(key, "").isEmpty()) {
                throw new KeyValues.Damaged(file(SETTINGS), "it has no '" + key + "' line");
            }
        }
        return s;
    }

    /** How the run ended; empty while it runs or when it was killed. */
    public Map<String, String> result() throws IOException {
        return exists(RESULT) ? KeyValues.read(file(RESULT)) : Map.of();
    }

    /** A held {@link #lock()}. */
    public interface Lock extends AutoCloseable {
        @Override
        void close() throws IOException;
    }

    /** Locks the folder for one training process; fails when another holds it. Close to release. */
    public Lock lock() throws IOException {
        FileChannel ch = FileChannel.open(dir.resolve(LOCK), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock l;
        try {
            l = ch.tryLock();
        } catch (OverlappingFileLockException e) {
            l = null;
        }
        if (l == null) {
            ch.close();
            throw new IOException(Runs.display(dir) + " is in use by another nnc process");
        }
        ch.truncate(0).write(java.nio.ByteBuffer.wrap((ProcessHandle.current().pid() + "\n")
                .getBytes(StandardCharsets.UTF_8)));
        FileLock held = l;
        return () -> {
            held.release();
            ch.close();
        };
    }

    /** Whether a process holds the lock now. */
    public boolean inUse() {
        if (!Files.exists(dir.resolve(LOCK))) {
            return false;
        }
        try {
            lock().close();
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    @Override
    public String toString() {
        return Runs.display(dir);
    }
}
