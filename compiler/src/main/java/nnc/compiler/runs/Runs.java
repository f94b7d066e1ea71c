package nnc.compiler.runs;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import nnc.runtime.io.AtomicFile;

/**
 * Where runs live and which one a command uses. The runs of model {@code M} trained from
 * {@code dir/m.nn} are {@code dir/runs/M/1}, {@code 2}, …, numbered in the order they started,
 * with {@code dir/runs/M/latest} pointing at the newest (a symbolic link, or a file holding the
 * number where links are not available). {@code predict}, {@code build} and {@code evaluate}
 * take their weights from {@link #latest}: found from the .nn file's folder, never the current
 * directory.
 */
public final class Runs {
    public static final String RUNS = "runs";
    public static final String LATEST = "latest";

    private Runs() {
    }

    /** {@code <folder of nnFile>/runs/<model>}. */
    public static Path modelFolder(Path nnFile, String model) {
        Path parent = nnFile.toAbsolutePath().normalize().getParent();
        return parent.resolve(RUNS).resolve(model);
    }

    /** The numbered runs in a model folder, oldest first. */
    public static List<RunFolder> list(Path modelFolder) throws IOException {
        if (!Files.isDirectory(modelFolder)) {
            return List.of();
        }
        List<Path> dirs;
        try (var s = Files.list(modelFolder)) {
            dirs = new ArrayList<>(s.filter(p -> number(p) > 0 && Files.isDirectory(p)).toList());
        }
        dirs.sort(Comparator.comparingInt(Runs::number));
        return dirs.stream().map(RunFolder::at).toList();
    }

    /** Creates the next numbered run folder and points {@code latest} at the newest run (it, or a newer one). */
    public static RunFolder createNext(Path modelFolder) throws IOException {
        Files.createDirectories(modelFolder);
        List<RunFolder> runs = list(modelFolder);
        int n = runs.isEmpty() ? 1 : number(runs.get(runs.size() - 1).dir()) + 1;
        while (true) {
            try {
                Files.createDirectory(modelFolder.resolve(String.valueOf(n)));
                break;
            } catch (FileAlreadyExistsException e) {
                n++; // another nnc process took this number first
            }
        }
        pointLatest(modelFolder);
        return RunFolder.at(modelFolder.resolve(String.valueOf(n)));
    }

    /**
     * Points {@code latest} at the newest run, again while a newer one appears: of two trainings
     * started at once, the one that points it last may have the older run.
     */
    private static void pointLatest(Path modelFolder) throws IOException {
        String newest = null;
        for (List<RunFolder> runs = list(modelFolder); !runs.isEmpty(); runs = list(modelFolder)) {
            String now = runs.get(runs.size() - 1).dir().getFileName().toString();
            if (now.equals(newest)) {
                return;
            }
            newest = now;
            pointLatest(modelFolder, newest);
        }
    }

    /**
     * Replaces {@code latest} atomically: a new link (or file) renamed over the old one. The new
     * link's name is this writer's own, so that writers at once do not take each other's.
     */
    static void pointLatest(Path modelFolder, String name) throws IOException {
        Path latest = modelFolder.resolve(LATEST);
        Path tmp = modelFolder.resolve("." + LATEST + "." + java.util.UUID.randomUUID() + ".tmp");
        try {
            Files.createSymbolicLink(tmp, Path.of(name));
            Files.move(tmp, latest, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            AtomicFile.forceFolder(modelFolder);
        } catch (UnsupportedOperationException | IOException e) {
            Files.deleteIfExists(tmp);
            if (Files.isSymbolicLink(latest)) {
                Files.deleteIfExists(latest);
            }
            AtomicFile.write(latest, (name + "\n").getBytes(StandardCharsets.UTF_8));
        }
    }

    /** The run {@code latest} points at, if any. */
    public static Optional<RunFolder> latest(Path modelFolder) throws IOException {
        Path latest = modelFolder.resolve(LATEST);
        String name;
        if (Files.isSymbolicLink(latest)) {
            name = Files.readSymbolicLink(latest).toString();
        } else if (Files.isRegularFile(latest)) {
            try {
                name = Files.readString(latest, StandardCharsets.UTF_8).strip();
            } catch (java.nio.charset.CharacterCodingException e) {
                throw new KeyValues.Damaged(latest, "it is not UTF-8 text");
            }
        } else {
            return Optional.empty();
        }
        Path dir = modelFolder.resolve(name);
        return Files.isDirectory(dir) ? Optional.of(RunFolder.at(dir)) : Optional.empty();
    }

    /**
     * The weights that {@code predict}, {@code build} and {@code evaluate} use for {@code model}
     * from {@code nnFile}: those of the newest run from that file that ended with weights, else
     * the last checkpoint of its newest unfinished run that took a step. Empty when it has no
     * runs. A run newer than the one chosen whose {@code run.properties} is damaged is an error
     * ({@link KeyValues.Damaged}), never skipped: it may be the newest run of this file; so is a
     * file whose only runs stopped before their first step ({@link RunWeights.Untrained}).
     */
    public static Optional<RunWeights> latestWeights(Path nnFile, String model) throws IOException {
        String source = nnFile.getFileName().toString();
        List<RunFolder> runs = newestFirst(nnFile, model);
        IOException damaged = null;
        List<RunFolder> unfinished = new ArrayList<>(); // newest first, each before any damaged run found
        for (RunFolder r : runs) {
            Map<String, String> s;
            if (!r.exists(RunFolder.SETTINGS)) {
                continue; // a run killed before it wrote its settings
            }
            try {
                s = r.settings();
            } catch (KeyValues.Damaged e) {
                damaged = damaged == null ? e : damaged;
                continue;
            }
            if (!source.equals(s.get("source"))) {
                continue;
            }
            if (r.exists(RunFolder.WEIGHTS)) {
                if (damaged != null) {
                    throw newerDamaged(damaged, nnFile);
                }
                return Optional.of(RunWeights.of(r));
            }
            if (damaged == null && r.exists(RunFolder.CHECKPOINT)) {
                unfinished.add(r);
            }
        }
        // No finished run: the newest unfinished one that took a step (its checkpoint is read
        // only now, so a damaged one newer than a finished run does not get in the way).
        RunWeights.Untrained untrained = null;
        for (RunFolder r : unfinished) {
            try {
                return Optional.of(RunWeights.of(r));
            } catch (RunWeights.Untrained e) {
                untrained = untrained == null ? e : untrained;
            }
        }
        if (damaged != null) {
            throw newerDamaged(damaged, nnFile);
        }
        if (untrained != null) {
            throw untrained;
        }
        return Optional.empty();
    }

    /**
     * The newest run with weights in {@code nnFile}'s model folder that another .nn file trained
     * (a copy or an earlier name of it), with that file's name: what a user who renamed or copied
     * the file is looking for. Empty when there is none or the folder cannot be read.
     */
    public static Optional<Map.Entry<RunFolder, String>> newestOfAnotherSource(Path nnFile, String model) {
        String source = nnFile.getFileName().toString();
        try {
            for (RunFolder r : newestFirst(nnFile, model)) {
                if (!r.exists(RunFolder.SETTINGS) || !r.exists(RunFolder.WEIGHTS)) {
                    continue;
                }
                String other = r.settings().get("source");
                if (other != null && !other.equals(source)) {
                    return Optional.of(Map.entry(r, other));
                }
            }
        } catch (IOException e) {
            // Only a hint: a folder that cannot be read gives none.
        }
        return Optional.empty();
    }

    /** The runs of {@code nnFile}'s model folder, newest first. */
    private static List<RunFolder> newestFirst(Path nnFile, String model) throws IOException {
        List<RunFolder> runs = new ArrayList<>(list(modelFolder(nnFile, model)));
        java.util.Collections.reverse(runs);
        return runs;
    }

    private static IOException newerDamaged(IOException e, Path nnFile) {
        return new IOException(e.getMessage() + "; it may be the newest run of " + nnFile.getFileName()
                + ", so no older run is chosen in its place\n  = hint: pass --run RUN to choose a run (./nnc runs "
                + display(nnFile) + " lists them)", e);
    }

    /** A path as the user should read it: relative to the current directory when inside it. */
    public static String display(Path p) {
        Path abs = p.toAbsolutePath().normalize();
        Path cwd = Path.of("").toAbsolutePath().normalize();
        return abs.startsWith(cwd) && !abs.equals(cwd) ? cwd.relativize(abs).toString() : abs.toString();
    }

    static int number(Path p) {
        String n = p.getFileName().toString();
        if (n.isEmpty() || n.length() > 9 || !n.chars().allMatch(Character::isDigit)) {
            return -1;
        }
        return Integer.parseInt(n);
    }
}
