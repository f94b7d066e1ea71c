package nnc.compiler.codegen;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import nnc.runtime.io.AtomicFile;

/**
 * One generated Java compilation unit.
 *
 * @param className the fully qualified class name
 * @param text      the source text
 */
public record GeneratedJava(String className, String text) {
    /** The path of the file under a source root: {@code nnc/generated/MnistMlp.java}. */
    public Path relativePath() {
        return Path.of(className.replace('.', '/') + ".java");
    }

    /**
     * Writes the file under {@code sourceRoot} (creating the package folders), atomically: a
     * failed write (a full disk) leaves the file that was there whole. Returns its path.
     */
    public Path writeTo(Path sourceRoot) throws IOException {
        Path file = sourceRoot.resolve(relativePath());
        AtomicFile.write(file, text.getBytes(StandardCharsets.UTF_8));
        return file;
    }
}
