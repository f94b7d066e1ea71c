package nnc.runtime.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Where named datasets are looked for, in order: folders given on the command line
 * ({@code --data}), the {@code NNC_DATA} environment variable (a path list),
 * {@code ~/.cache/nnc/datasets}, {@code /usr/share/datasets}. A name matches a folder of
 * that name, with {@code _} or {@code -} between words ({@code fashion_mnist} finds
 * {@code fashion-mnist}).
 */
public final class DatasetPaths {
    private final List<Path> roots;

    public DatasetPaths(List<Path> roots) {
        this.roots = List.copyOf(roots);
    }

    /** The standard search path, after {@code extra} (the folders given with --data). */
    public static DatasetPaths standard(List<Path> extra) {
        Set<Path> roots = new LinkedHashSet<>(extra);
        String env = System.getenv("NNC_DATA");
        if (env != null && !env.isBlank()) {
            for (String p : env.split(java.io.File.pathSeparator)) {
                if (!p.isBlank()) {
                    roots.add(Path.of(p));
                }
            }
        }
        roots.add(userCache());
        roots.add(Path.of("/usr/share/datasets"));
        return new DatasetPaths(new ArrayList<>(roots));
    }

    /** {@code ~/.cache/nnc/datasets}: where {@code nnc fetch} puts what it downloads. */
    public static Path userCache() {
        return Path.of(System.getProperty("user.home"), ".cache", "nnc", "datasets");
    }

    public List<Path> roots() {
        return roots;
    }

    /** Folder names a dataset name may have on disk. */
    public static List<String> spellings(String name) {
        Set<String> s = new LinkedHashSet<>();
        s.add(name);
        s.add(name.replace('_', '-'));
        s.add(name.replace('-', '_'));
        return new ArrayList<>(s);
    }

    /**
     * The first folder holding {@code name} for which {@code complete} holds, or null. A root
     * that itself satisfies {@code complete} also counts when it is named like the dataset.
     */
    public Path find(String name, java.util.function.Predicate<Path> complete) {
        for (Path root : roots) {
            for (String spelling : spellings(name)) {
                Path dir = root.resolve(spelling);
                if (Files.isDirectory(dir) && complete.test(dir)) {
                    return dir;
                }
            }
            if (spellings(name).contains(String.valueOf(root.getFileName())) && complete.test(root)) {
                return root;
            }
        }
        return null;
    }
}
