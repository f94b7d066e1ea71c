package nnc.compiler.codegen;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

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

    /** Writes the file under {@code sourceRoot} (creating the package folders); returns its path. */
    public Path writeTo(Path sourceRoot) throws IOException {
        Path file = sourceRoot.resolve(relativePath());
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
        return file;
    }
}
