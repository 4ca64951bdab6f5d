package io.graft.python;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.graalvm.polyglot.io.ProcessHandler;

/**
 * Refuses every process Python code tries to start, except {@code patchelf}, which GraalPy itself
 * runs to give each context its own copy of a native extension ({@code python.IsolateNativeModules}).
 * Only the {@code patchelf} binaries found when the engine started qualify, compared by real path:
 * a program merely named {@code patchelf}, written by agent code, does not.
 *
 * <p>Refusing here, rather than disallowing process creation outright, makes an attempt an
 * {@code OSError} in Python, which library code already handles (the standard library's
 * {@code platform} probes {@code uname -p} that way when {@code uuid} is imported); a disallowed
 * creation would surface as an unexpected {@code SystemError}.
 */
final class NoProcesses implements ProcessHandler {
    private final Set<Path> patchelf;

    /** @param patchelf the binaries GraalPy may run, as {@link #patchelf(Path)} finds them */
    NoProcesses(Set<Path> patchelf) {
        this.patchelf = Set.copyOf(patchelf);
    }

    /** Where GraalPy looks for patchelf: beside {@code executable}, then on the JVM's {@code PATH}; real paths. */
    static Set<Path> patchelf(Path executable) {
        List<Path> dirs = new ArrayList<>();
        Optional.ofNullable(executable.getParent()).ifPresent(dirs::add);
        pathDirs().forEach(dirs::add);
        return dirs.stream().map(d -> d.resolve("patchelf")).filter(Files::isExecutable)
                .flatMap(p -> realPath(p).stream()).collect(Collectors.toUnmodifiableSet());
    }

    @Override
    public Process start(ProcessCommand command) throws IOException {
        List<String> argv = new ArrayList<>(command.getCommand());
        Optional<Path> program = resolve(argv.getFirst());
        if (program.isEmpty() || !patchelf.contains(program.get())) {
            throw new IOException("Graft does not let agent code start processes (tried: " + String.join(" ", argv) + ")");
        }
        argv.set(0, program.get().toString()); // run what was checked, whatever the child's PATH says
        ProcessBuilder builder = new ProcessBuilder(argv)
                .redirectInput(redirect(command.getInputRedirect()))
                .redirectOutput(redirect(command.getOutputRedirect()))
                .redirectError(redirect(command.getErrorRedirect()))
                .redirectErrorStream(command.isRedirectErrorStream());
        String directory = command.getDirectory();
        if (directory != null) {
            builder.directory(Path.of(directory).toFile());
        }
        if (!command.getEnvironment().isEmpty()) {
            builder.environment().clear();
            builder.environment().putAll(command.getEnvironment());
        }
        return builder.start();
    }

    /** The real path of the program {@code name} names: a path as is, a bare name on the JVM's PATH. */
    private static Optional<Path> resolve(String name) {
        if (name.contains(File.separator)) {
            return realPath(Path.of(name));
        }
        return pathDirs().map(d -> d.resolve(name)).filter(Files::isExecutable).findFirst().flatMap(NoProcesses::realPath);
    }

    private static Stream<Path> pathDirs() {
        return Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                .filter(d -> !d.isBlank()).map(Path::of);
    }

    private static Optional<Path> realPath(Path p) {
        try {
            return Optional.of(p.toRealPath());
        } catch (IOException | SecurityException e) {
            return Optional.empty();
        }
    }

    private static ProcessBuilder.Redirect redirect(Redirect redirect) {
        return redirect == Redirect.INHERIT ? ProcessBuilder.Redirect.INHERIT : ProcessBuilder.Redirect.PIPE;
    }
}
