package nnc.runtime.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Replaces a file so that a crash at any moment leaves either the old content or the new
 * one: the bytes go to {@code .NAME.tmp} in the same folder, are forced to the disk, and the
 * temporary file is renamed over {@code NAME}; then the folder itself is forced, so the rename
 * survives a power cut too. The old file stays whole until the rename. The temporary name is
 * fixed, so one left by a killed process is simply overwritten by the next write; one left by
 * a failed write (a full disk) is deleted, and the error names the file.
 *
 * <p>Test hook: with the system property {@code nnc.test.pauseWritesMillis} set, a write
 * prints {@code nnc: test: writing FILE} to standard error and pauses that long halfway
 * through the temporary file, so a test can kill the process in the middle of a write.
 */
public final class AtomicFile {
    private static final long PAUSE_MILLIS = Long.getLong("nnc.test.pauseWritesMillis", 0);

    private AtomicFile() {
    }

    /** Writes {@code bytes} as the new content of {@code file}, creating its folder if needed. */
    public static void write(Path file, byte[] bytes) throws IOException {
        Path target = file.toAbsolutePath();
        Path dir = target.getParent();
        Files.createDirectories(dir);
        Path tmp = dir.resolve("." + target.getFileName() + ".tmp");
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                int half = bytes.length / 2;
                writeFully(ch, ByteBuffer.wrap(bytes, 0, half));
                if (PAUSE_MILLIS > 0) {
                    pause(target);
                }
                writeFully(ch, ByteBuffer.wrap(bytes, half, bytes.length - half));
                ch.force(true);
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            // a full disk: the partial temporary file would only hold on to the space that is missing
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException again) {
                e.addSuppressed(again);
            }
            throw naming(target, e);
        }
        forceFolder(dir);
    }

    /**
     * {@code e} as an exception that names {@code file}: the system's write errors (a full disk,
     * an I/O error) name no file ("No space left on device"), and the user needs to know which.
     */
    public static IOException naming(Path file, IOException e) {
        if (e instanceof FileSystemException) {
            return e;
        }
        FileSystemException named = new FileSystemException(file.toString(), null, e.getMessage());
        named.initCause(e);
        return named;
    }

    /** Forces a folder's entries (a rename, a new file) to the disk where the system allows it. */
    public static void forceFolder(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // Windows cannot open a folder as a channel; its renames are durable without it.
        }
    }

    private static void writeFully(FileChannel ch, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            ch.write(b);
        }
    }

    private static void pause(Path target) {
        System.err.println("nnc: test: writing " + target);
        System.err.flush();
        try {
            Thread.sleep(PAUSE_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
