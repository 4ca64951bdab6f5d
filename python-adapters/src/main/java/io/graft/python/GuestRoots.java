package io.graft.python;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The directories every context's Python code may read ({@link GuestFiles}): the venv and its
 * overlay, Graft's Python package, directories the settings add, and the directory of every script
 * loaded so far (a script may read the files beside it). Shared by the contexts of one engine.
 */
final class GuestRoots {
    /** GraalPy's per-context copies of a native extension: {@code NAME.so.dupN} beside the original (IsolateNativeModules). */
    private static final Pattern NATIVE_COPY = Pattern.compile(".+\\.so(\\.[0-9.]+)?\\.dup[0-9]+");

    /** Read and written by libraries as a sink (subprocess.DEVNULL, logging to nowhere). */
    static final Path DEV_NULL = Path.of("/dev/null");
    /**
     * System files that tell nothing of the host's data: always readable. /proc/self/stat (the process's
     * CPU times, read by a CrewAI dependency on import); not the rest of /proc/self, whose environ holds
     * the server's secrets.
     */
    private static final Set<Path> SYSTEM_FILES = Set.of(DEV_NULL, Path.of("/dev/urandom"), Path.of("/dev/random"),
            Path.of("/proc/self/stat"));

    private final Path venv;
    private final Set<Path> readable = ConcurrentHashMap.newKeySet();
    /**
     * The process's working directory, whose attributes (not contents) Python may see: libraries resolve
     * relative paths against it, and python-dotenv's search for a .env (on every CrewAI import) fails
     * with "Starting path not found" when the working directory does not exist to it.
     */
    private final Path workDir = Path.of("").toAbsolutePath();

    GuestRoots(Path venv, List<Path> readable) {
        this.venv = normal(venv);
        this.readable.add(this.venv);
        // The venv's python links to the launcher that built it; GraalPy resolves it for sys.executable.
        realPath(this.venv.resolve("venv").resolve("bin").resolve("python")).ifPresent(this.readable::add);
        readable.forEach(this::allowRead);
    }

    void allowRead(Path dir) {
        readable.add(normal(dir));
    }

    boolean readable(Path p) {
        return SYSTEM_FILES.contains(p) || readable.stream().anyMatch(p::startsWith);
    }

    /** Whether {@code p} is the working directory or a directory above it or a readable root: its attributes may be read, not its contents. */
    boolean above(Path p) {
        return workDir.startsWith(p) || readable.stream().anyMatch(root -> root.startsWith(p));
    }

    /** Whether {@code p} names GraalPy's copy of a native extension in the venv, the one write outside a context's directory. */
    boolean nativeCopy(Path p) {
        return p.startsWith(venv) && p.getFileName() != null && NATIVE_COPY.matcher(p.getFileName().toString()).matches();
    }

    private static Optional<Path> realPath(Path p) {
        try {
            return Optional.of(p.toRealPath());
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static Path normal(Path p) {
        return p.toAbsolutePath().normalize();
    }
}
