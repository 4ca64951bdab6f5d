package io.graft.python;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.Engine;
import org.graalvm.polyglot.HostAccess;
import org.graalvm.polyglot.PolyglotAccess;
import org.graalvm.polyglot.io.FileSystem;
import org.graalvm.polyglot.io.IOAccess;

/**
 * The one GraalPy {@link Engine} of the process, so parsed and compiled code is shared by every
 * context, and the factory of contexts configured for Graft.
 *
 * <p>Refuses to start on the fallback (interpreter-only) runtime unless told to: without the
 * Graal compiler GraalPy is an order of magnitude slower, and that must never happen silently.
 */
public final class PythonEngine implements AutoCloseable {
    /** What {@code Engine.getImplementationName()} answers when no optimizing runtime is present. */
    static final String INTERPRETER_ONLY = "Interpreted";

    private static final HostAccess HOST_ACCESS = HostAccess.newBuilder()
            .allowAccessAnnotatedBy(HostAccess.Export.class)
            .allowImplementationsAnnotatedBy(HostAccess.Implementable.class)
            .allowAccessInheritance(false)
            .build();

    private final Engine engine;
    private final PythonSettings settings;
    private final Path packageDir;
    private final GuestRoots roots;
    /** The patchelf binaries GraalPy may run (see {@link NoProcesses}). */
    private final Set<Path> patchelf;

    public PythonEngine(PythonSettings settings) {
        this.settings = settings;
        Engine.Builder builder = Engine.newBuilder("python").option("engine.WarnInterpreterOnly", "false");
        // The fallback runtime has no compiler and does not know the compiler's options.
        if (!settings.notCompiled().isEmpty() && optimizingRuntime()) {
            // engine.CompileOnly is experimental in Truffle 25.0 (pinned with GraalPy): checked by PythonEngineTest.
            builder.allowExperimentalOptions(true).option("engine.CompileOnly", compileOnly(settings.notCompiled()));
        }
        this.engine = builder.build();
        if (!optimizing() && !settings.allowInterpreterOnly()) {
            engine.close();
            throw new PythonException("GraalPy is running on the fallback runtime without the Graal compiler, "
                    + "which is about 30x slower. Start Graft through ./graft (it puts org.graalvm.compiler on "
                    + "--upgrade-module-path and enables JVMCI), or pass -Dgraft.python.allowInterpreterOnly=true "
                    + "to accept the slow runtime.");
        }
        this.packageDir = PythonPackage.directory();
        List<Path> readable = new ArrayList<>(settings.readable());
        readable.add(packageDir);
        this.roots = new GuestRoots(settings.venv(), readable);
        this.patchelf = NoProcesses.patchelf(settings.venv().resolve("venv").resolve("bin").resolve("python"));
    }

    /** Lets Python code read the files under {@code dir} (a loaded script's directory). */
    void allowRead(Path dir) {
        roots.allowRead(dir);
    }

    /** Truffle's CompileOnly filter that excludes every function whose name contains one of {@code notCompiled}. */
    static String compileOnly(List<String> notCompiled) {
        return notCompiled.stream().map(name -> "~" + name).collect(Collectors.joining(","));
    }

    /** Whether this JVM runs Truffle's optimizing runtime, asked of an engine without languages (a few ms). */
    private static boolean optimizingRuntime() {
        try (Engine probe = Engine.newBuilder().option("engine.WarnInterpreterOnly", "false").build()) {
            return !INTERPRETER_ONLY.equals(probe.getImplementationName());
        }
    }

    /** Whether guest code is compiled by the Graal JIT (the optimizing Truffle runtime). */
    public boolean optimizing() {
        return !INTERPRETER_ONLY.equals(engine.getImplementationName());
    }

    /** The Truffle runtime's name: e.g. {@code GraalVM CE} with the compiler, {@code Interpreted} without. */
    public String runtimeName() {
        return engine.getImplementationName();
    }

    public PythonSettings settings() {
        return settings;
    }

    /**
     * A new context on the shared engine, with the venv, its overlay and Graft's package on its path.
     * {@code scratch} is the context's own directory, handed to Python as {@code GRAFT_CONTEXT_DIR}.
     */
    Context newContext(Path scratch) throws IOException {
        Path venv = settings.venv().resolve("venv");
        // CrewAI and its dependencies live beside the venv (see graalpy-overlay.lock): pip's resolver cannot install them.
        Path overlay = settings.venv().resolve("overlay");
        String pythonPath = Files.isDirectory(overlay)
                ? packageDir + File.pathSeparator + overlay
                : packageDir.toString();
        // Python's tempfile and GraalPy's own temporary files go to the context's directory, which it may write.
        Path temp = Files.createDirectories(scratch.resolve("tmp"));
        // So is its home: libraries keep state under ~ (CrewAI creates ~/.local/share/crewai on import).
        Path home = Files.createDirectories(scratch.resolve("home"));
        return Context.newBuilder("python")
                .engine(engine)
                .allowExperimentalOptions(true)
                .allowHostAccess(HOST_ACCESS)
                .allowPolyglotAccess(PolyglotAccess.ALL)
                .allowIO(io(scratch, temp))
                .allowNativeAccess(true)
                .allowCreateThread(true)
                .allowCreateProcess(true)
                .processHandler(new NoProcesses(patchelf))
                .environment("GRAFT_CONTEXT_DIR", scratch.toString())
                .environment("TMPDIR", temp.toString())
                .environment("HOME", home.toString())
                .option("python.Executable", venv.resolve("bin").resolve("python").toString())
                .option("python.ForceImportSite", "true")
                .option("python.PythonPath", pythonPath)
                .option("python.DontWriteBytecodeFlag", "true")
                .option("python.CheckHashPycsMode", "never")
                // Native extensions (pydantic-core, ...) loaded in more than one context need their own copy each.
                .option("python.IsolateNativeModules", "true")
                // The C API is GraalPy's documented path for native extensions; the warning on every load is noise.
                .option("python.WarnExperimentalFeatures", "false")
                .build();
    }

    /** The host file system as the settings let Python code use it. */
    private IOAccess io(Path scratch, Path temp) {
        if (settings.files() == PythonSettings.FileAccess.HOST) {
            return IOAccess.ALL;
        }
        boolean enforce = settings.files() == PythonSettings.FileAccess.RESTRICTED;
        FileSystem files = new GuestFiles(FileSystem.newDefaultFileSystem(), roots, scratch, temp, enforce);
        // GraalPy's standard library and its bundled resources stay readable wherever they were unpacked.
        files = FileSystem.allowInternalResourceAccess(FileSystem.allowLanguageHomeAccess(files));
        return IOAccess.newBuilder().fileSystem(files).allowHostSocketAccess(true).build();
    }

    Path packageDir() {
        return packageDir;
    }

    @Override
    public void close() {
        engine.close(true);
    }
}
