package nnc.maven;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.maven.execution.MavenSession;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugin.descriptor.PluginDescriptor;
import org.apache.maven.plugins.annotations.Component;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.project.MavenProject;
import org.apache.maven.toolchain.ToolchainManager;

/**
 * {@code nnc:generate}: compiles every {@code .nn} file under {@code src/main/nn} into a Java
 * class under {@code target/generated-sources/nnc}, which becomes a source root. A file whose
 * source, package and nnc version are unchanged since its last generation is skipped. A
 * {@code .nn} error fails the build, reported as {@code file:[line,col] message} (the form
 * IDEs link, as javac errors through the compiler plugin) followed by nnc's own
 * {@code file:line:col: error: ...} with the line and a caret.
 *
 * <p>The compiler needs Java 21. When Maven runs on an older JVM, the work runs in a forked
 * JVM: the {@code jdk} toolchain when the build selects one, else {@code JAVA_HOME}.
 */
@Mojo(name = "generate", defaultPhase = LifecyclePhase.GENERATE_SOURCES, threadSafe = true)
public final class GenerateMojo extends AbstractMojo {
    /** Where the {@code .nn} files are. */
    @Parameter(defaultValue = "${project.basedir}/src/main/nn", property = "nnc.sourceDirectory")
    private java.io.File sourceDirectory;

    /** Where the generated Java goes; added to the project's source roots. */
    @Parameter(defaultValue = "${project.build.directory}/generated-sources/nnc", property = "nnc.outputDirectory")
    private java.io.File outputDirectory;

    /** The Java package of the generated classes. */
    @Parameter(defaultValue = "nnc.generated", property = "nnc.packageName")
    private String packageName;

    /** Skip the goal. */
    @Parameter(defaultValue = "false", property = "nnc.skip")
    private boolean skip;

    @Parameter(defaultValue = "${project}", readonly = true, required = true)
    private MavenProject project;

    @Parameter(defaultValue = "${session}", readonly = true, required = true)
    private MavenSession session;

    @Parameter(defaultValue = "${plugin}", readonly = true, required = true)
    private PluginDescriptor plugin;

    @Component
    private ToolchainManager toolchains;

    @Override
    public void execute() throws MojoExecutionException, MojoFailureException {
        if (skip) {
            getLog().info("nnc: skipped");
            return;
        }
        Path out = outputDirectory.toPath();
        project.addCompileSourceRoot(out.toString());
        Path src = sourceDirectory.toPath();
        if (!Files.isDirectory(src)) {
            getLog().info("nnc: no " + src + "; nothing to generate");
            return;
        }
        List<Path> sources = sources(src);
        Stamps stamps = new Stamps(Path.of(project.getBuild().getDirectory(), "nnc-stamps"), src,
                packageName + "|" + plugin.getVersion());
        List<Path> stale = new ArrayList<>();
        for (Path nn : sources) {
            if (!stamps.upToDate(nn)) {
                stale.add(nn);
            }
        }
        getLog().info("nnc: " + sources.size() + " .nn file" + (sources.size() == 1 ? "" : "s") + ", "
                + (sources.size() - stale.size()) + " up to date");
        if (!stale.isEmpty()) {
            Worker.Result r = new Worker(plugin, toolchains, session, getLog()).run(out, packageName, stale);
            report(r);
            if (r.errors() == 0 && r.generated().size() != stale.size()) {
                throw new MojoExecutionException("nnc: internal error (a bug in nnc): " + stale.size()
                        + " files to compile, " + r.generated().size() + " generated, and no error reported");
            }
            for (Worker.Generated g : r.generated()) {
                stamps.record(g.source(), g.java());
            }
            if (r.errors() > 0) {
                Worker.Diag first = r.diagnostics().stream().filter(Worker.Diag::isError).findFirst().orElse(null);
                throw new MojoFailureException("nnc: " + r.errors() + (r.errors() == 1 ? " error" : " errors")
                        + " in .nn files" + (first == null ? "" : "; first: " + first.file() + ":" + first.line() + ":"
                        + first.column() + ": " + first.message()));
            }
        }
        stamps.removeOrphans(sources);
    }

    private static List<Path> sources(Path dir) throws MojoExecutionException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(p -> p.toString().endsWith(".nn") && Files.isRegularFile(p)).sorted()
                    .map(p -> p.toAbsolutePath().normalize()).toList();
        } catch (IOException e) {
            throw new MojoExecutionException("nnc: cannot list " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Diagnostics as IDEs parse them, then as nnc prints them. */
    private void report(Worker.Result r) {
        for (Worker.Diag d : r.diagnostics()) {
            String line = d.file() + ":[" + d.line() + "," + d.column() + "] " + d.message();
            if (d.isError()) {
                getLog().error(line);
            } else {
                getLog().warn(line);
            }
        }
        for (String text : r.text()) {
            if (r.errors() > 0) {
                getLog().error(text);
            } else {
                getLog().warn(text);
            }
        }
        for (Worker.Generated g : r.generated()) {
            getLog().info("nnc: " + g.source().getFileName() + " -> " + g.java());
        }
    }
}
