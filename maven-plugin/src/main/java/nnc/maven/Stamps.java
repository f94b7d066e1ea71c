package nnc.maven;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * What was generated from which {@code .nn} file, and from what: one stamp file per source
 * (under {@code target/nnc-stamps}, mirroring the source tree) holding a SHA-256 of the source
 * text and the options, and the generated file's path. A source is up to date when its stamp's
 * hash matches and the generated file still exists; content, not timestamps, decides, so a
 * checkout or a touch does not regenerate and an edit always does.
 */
final class Stamps {
    private final Path dir;
    private final Path sourceRoot;
    private final String options;

    Stamps(Path dir, Path sourceRoot, String options) {
        this.dir = dir;
        this.sourceRoot = sourceRoot.toAbsolutePath().normalize();
        this.options = options;
    }

    boolean upToDate(Path nn) {
        try {
            Path stamp = stampOf(nn);
            if (!Files.isRegularFile(stamp)) {
                return false;
            }
            List<String> lines = Files.readAllLines(stamp, StandardCharsets.UTF_8);
            return lines.size() == 2 && lines.get(0).equals(hash(nn)) && Files.isRegularFile(Path.of(lines.get(1)));
        } catch (IOException e) {
            return false;
        }
    }

    /** Notes that {@code java} was generated from {@code nn} as it is now; drops an older output of another name. */
    void record(Path nn, Path java) {
        try {
            Path stamp = stampOf(nn);
            Files.createDirectories(stamp.getParent());
            if (Files.isRegularFile(stamp)) {
                List<String> old = Files.readAllLines(stamp, StandardCharsets.UTF_8);
                if (old.size() == 2 && !Path.of(old.get(1)).equals(java)) {
                    Files.deleteIfExists(Path.of(old.get(1)));
                }
            }
            Files.writeString(stamp, hash(nn) + "\n" + java + "\n", StandardCharsets.UTF_8);
        } catch (IOException e) {
            // without a stamp the file is regenerated next time: slower, not wrong
        }
    }

    /** Deletes the stamps, and the generated sources, of {@code .nn} files that no longer exist. */
    void removeOrphans(List<Path> sources) {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (Stream<Path> stamps = Files.walk(dir)) {
            for (Path stamp : stamps.filter(Files::isRegularFile).toList()) {
                String rel = dir.relativize(stamp).toString();
                Path nn = sourceRoot.resolve(rel.substring(0, rel.length() - ".stamp".length()));
                if (!sources.contains(nn)) {
                    List<String> lines = Files.readAllLines(stamp, StandardCharsets.UTF_8);
                    if (lines.size() == 2) {
                        Files.deleteIfExists(Path.of(lines.get(1)));
                    }
                    Files.delete(stamp);
                }
            }
        } catch (IOException e) {
            // a stale generated file stays; the next clean build removes it
        }
    }

    private Path stampOf(Path nn) {
        return dir.resolve(sourceRoot.relativize(nn.toAbsolutePath().normalize()) + ".stamp");
    }

    private String hash(Path nn) throws IOException {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(Files.readAllBytes(nn));
            md.update(("\n" + options).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
