package io.graft.python;

import static io.graft.core.Checks.requirePositive;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.SequencedMap;
import java.util.Properties;

/**
 * How the Python host is set up.
 *
 * @param venv the GraalPy virtual environment built by the graalpy-maven-plugin (the directory holding {@code venv/})
 * @param poolSize contexts in the pool: runs of Python agents that can execute at once
 * @param warmImports modules every context imports before it takes work
 * @param allowInterpreterOnly start even when the Graal compiler is missing (slow; tests of the check only)
 * @param interruptGrace how long a cancelled run's guest code gets to stop before its context is replaced
 * @param notCompiled Python functions the JIT leaves to the interpreter: a function whose name contains one of
 *     these is never compiled (empty: everything hot is compiled)
 * @param files what Python code may do with the host's files
 * @param readable directories Python code may read besides the venv, Graft's package and the scripts' own directories
 * @param queuePerContext runs that may wait for a context, per context; more are refused before they start
 */
public record PythonSettings(Path venv, int poolSize, List<String> warmImports, boolean allowInterpreterOnly,
        Duration interruptGrace, List<String> notCompiled, FileAccess files, List<Path> readable, int queuePerContext) {

    /** Runs that may wait for a context, per context, unless {@code graft.python.queuePerContext} says. */
    public static final int DEFAULT_QUEUE_PER_CONTEXT = 16;

    /** What Python code may do with the host's files (see {@link GuestFiles}). */
    public enum FileAccess {
        /** Read the venv, Graft's package, the scripts' directories and {@code readable}; write only the context's own directory. */
        RESTRICTED,
        /** As {@link #HOST}, logging every access {@link #RESTRICTED} would refuse: to find what an agent needs. */
        AUDIT,
        /** Everything the JVM's user may do. */
        HOST;

        static FileAccess parse(String value) {
            for (FileAccess a : values()) {
                if (a.name().equalsIgnoreCase(value.strip())) {
                    return a;
                }
            }
            throw new PythonException("graft.python.files must be restricted, audit or host, was '" + value + "'");
        }
    }

    /** The modules a context imports ahead of work, per framework (cold imports take seconds each). */
    public static final SequencedMap<String, List<String>> WARM_IMPORTS = warmImportTable();

    /** Every framework's modules: what a context imports when {@code graft.python.warm} does not say. */
    public static final List<String> DEFAULT_WARM_IMPORTS = warmImportsFor(WARM_IMPORTS.keySet());

    /**
     * Functions that are hot only while modules are imported and classes are created: importlib's
     * finders and loaders, logging's logger tree, pydantic's and dataclasses' class builders,
     * typing's generics and annotation evaluation, CrewAI's model catalogue. Every context runs them
     * thousands of times while it imports its frameworks, then never again; compiling them kept
     * the one compiler thread busy for minutes (64% of its time in a context's first 4.5 minutes,
     * some compilations failing after 5-15 s each) while the agents' own code waited in the queue
     * (docs/performance.md#what-the-compiler-spends-its-first-minutes-on). Not the default: every
     * later context (a replacement, the rest of a pool) then imports in the interpreter too.
     */
    public static final List<String> LOAD_TIME_FUNCTIONS = List.of(
            "find_spec", "_find_and_load", "_find_parent_path_names", "_fixupParents",
            "collect_model_fields", "inspect_namespace", "match_type", "_generate_schema", "traverse_schema",
            "update_core_metadata", "_process_class", "_eval_type", "_type_check", "_collect_parameters",
            "context_windows_from_catalog", "bare_model_name");

    public PythonSettings {
        requirePositive(poolSize, "poolSize");
        if (queuePerContext < 0) {
            throw new PythonException("queuePerContext must be 0 or more, was " + queuePerContext);
        }
        warmImports = List.copyOf(warmImports);
        notCompiled = List.copyOf(notCompiled);
        java.util.Objects.requireNonNull(files, "files");
        readable = List.copyOf(readable);
        for (String name : notCompiled) {
            if (name.isBlank() || name.contains(",")) {
                throw new PythonException("graft.python.notCompiled: '" + name + "' is not a function name");
            }
        }
        io.graft.core.Checks.requirePositive(interruptGrace, "interruptGrace");
        if (!Files.isDirectory(venv.resolve("venv"))) {
            throw new PythonException("no GraalPy venv at " + venv.resolve("venv")
                    + ": build it with ./graft build (or set -Dgraft.python.venv to the directory that holds venv/)");
        }
    }

    /**
     * Settings from system properties, falling back to the venv this build was made with:
     * {@code graft.python.venv}, {@code graft.python.pool} (default: number of cores),
     * {@code graft.python.warm} (comma-separated frameworks whose modules contexts import ahead of
     * work: {@code langchain}, {@code autogen}, {@code crewai}; default all), {@code graft.python.allowInterpreterOnly},
     * {@code graft.python.notCompiled} (comma-separated function names the JIT skips, {@code load-time}
     * for {@link #LOAD_TIME_FUNCTIONS}, the default; {@code none}: everything hot is compiled),
     * {@code graft.python.files} ({@code restricted}, the default, {@code audit} or {@code host}),
     * {@code graft.python.readable} (more directories Python may read, separated by {@code :}),
     * {@code graft.python.queuePerContext} (default {@value #DEFAULT_QUEUE_PER_CONTEXT}).
     */
    public static PythonSettings fromSystem() {
        String venv = System.getProperty("graft.python.venv", buildProperty("venv"));
        int pool = Integer.getInteger("graft.python.pool", Runtime.getRuntime().availableProcessors());
        boolean interpreter = Boolean.getBoolean("graft.python.allowInterpreterOnly");
        String warm = System.getProperty("graft.python.warm", String.join(",", WARM_IMPORTS.keySet()));
        List<String> frameworks = Arrays.stream(warm.split(",")).map(String::strip).filter(f -> !f.isEmpty()).toList();
        String skip = System.getProperty("graft.python.notCompiled", "load-time").strip();
        List<String> notCompiled = switch (skip) {
            case "none" -> List.of();
            case "load-time" -> LOAD_TIME_FUNCTIONS;
            default -> Arrays.stream(skip.split(",")).map(String::strip).filter(f -> !f.isEmpty()).toList();
        };
        FileAccess files = FileAccess.parse(System.getProperty("graft.python.files", "restricted"));
        List<Path> readable = Arrays.stream(System.getProperty("graft.python.readable", "").split(java.io.File.pathSeparator))
                .map(String::strip).filter(d -> !d.isEmpty()).map(Path::of).toList();
        int queue = Integer.getInteger("graft.python.queuePerContext", DEFAULT_QUEUE_PER_CONTEXT);
        return new PythonSettings(Path.of(venv), pool, warmImportsFor(frameworks), interpreter, Duration.ofSeconds(2), notCompiled,
                files, readable, queue);
    }

    private static SequencedMap<String, List<String>> warmImportTable() {
        SequencedMap<String, List<String>> table = new LinkedHashMap<>();
        table.put("langchain", List.of("graft.langchain", "graft.adapters.langchain", "langgraph.graph", "langgraph.prebuilt"));
        table.put("autogen", List.of("graft.autogen", "graft.adapters.autogen", "autogen_agentchat.agents",
                "autogen_agentchat.teams", "autogen_agentchat.conditions"));
        table.put("crewai", List.of("graft.crewai", "graft.adapters.crewai"));
        return Collections.unmodifiableSequencedMap(table);
    }

    static List<String> warmImportsFor(Collection<String> frameworks) {
        List<String> modules = new ArrayList<>(List.of("graft._host"));
        for (String framework : frameworks) {
            List<String> forFramework = WARM_IMPORTS.get(framework);
            if (forFramework == null) {
                throw new PythonException("graft.python.warm: unknown framework '" + framework + "'; known: "
                        + String.join(", ", WARM_IMPORTS.keySet()));
            }
            modules.addAll(forFramework);
        }
        return List.copyOf(modules);
    }

    public PythonSettings withPoolSize(int size) {
        return new PythonSettings(venv, size, warmImports, allowInterpreterOnly, interruptGrace, notCompiled, files, readable,
                queuePerContext);
    }

    /** Python code may do {@code files} with the host's files, and read {@code readable} besides its usual directories. */
    public PythonSettings withFiles(FileAccess files, List<Path> readable) {
        return new PythonSettings(venv, poolSize, warmImports, allowInterpreterOnly, interruptGrace, notCompiled, files, readable,
                queuePerContext);
    }

    /** Contexts warm only these frameworks' modules (none: a one-shot run imports what its script needs). */
    public PythonSettings withWarmFrameworks(Collection<String> frameworks) {
        return new PythonSettings(venv, poolSize, warmImportsFor(frameworks), allowInterpreterOnly, interruptGrace, notCompiled,
                files, readable, queuePerContext);
    }

    /** At most {@code queue} runs wait for each context; more are refused before they start. */
    public PythonSettings withQueuePerContext(int queue) {
        return new PythonSettings(venv, poolSize, warmImports, allowInterpreterOnly, interruptGrace, notCompiled, files, readable,
                queue);
    }

    private static String buildProperty(String key) {
        try (InputStream in = PythonSettings.class.getResourceAsStream("build.properties")) {
            if (in == null) {
                throw new PythonException("io/graft/python/build.properties is missing from the classpath");
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty(key);
        } catch (IOException e) {
            throw new PythonException("cannot read build.properties: " + e.getMessage(), e);
        }
    }
}
