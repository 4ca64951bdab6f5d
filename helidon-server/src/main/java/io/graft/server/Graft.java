package io.graft.server;

import io.graft.core.Agent;
import io.graft.core.AgentDefinitionException;
import io.graft.core.AgentRuntime;
import io.graft.core.agents.NativeAgentDefinitions;
import io.graft.core.memory.LazyMemoryStore;
import io.graft.core.memory.MemoryStore;
import io.graft.core.model.ChatModel;
import io.graft.core.tool.ToolRegistry;
import io.graft.core.workflow.WorkflowDefinitions;
import io.graft.nativecore.NativeMemoryStore;
import io.graft.nativecore.embed.MiniLmEmbedder;
import io.graft.python.PythonAgents;
import io.graft.python.PythonEngine;
import io.graft.python.PythonPool;
import io.graft.python.PythonSettings;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * One assembled Graft: the agent runtime with its model, tools and memory (closed with it), and (started on first use) the
 * GraalPy pool that hosts Python agents. Loads agent definitions of every kind by file.
 */
public final class Graft implements AutoCloseable, MeterBinder {
    private final AgentRuntime runtime;
    private final Supplier<PythonSettings> pythonSettings;
    private @Nullable MeterRegistry meters;
    private @Nullable PythonAgents python;
    private @Nullable PythonEngine engine;
    private @Nullable PythonPool pool;

    /** A Graft with the built-in tools and the default memory store ({@link #defaultMemory(Path)} at {@link #memoryDir()}). */
    public Graft(ChatModel model, PythonSettings pythonSettings) {
        this(AgentRuntime.builder(model).tools(ToolRegistry.builtIns(Clock.systemUTC()))
                .memory(defaultMemory(memoryDir())).build(), pythonSettings);
    }

    /** Where memories live unless configured: {@code GRAFT_MEMORY_DIR}, else {@code data/memory} under Graft's home. */
    public static Path memoryDir() {
        String dir = System.getenv("GRAFT_MEMORY_DIR");
        return dir != null && !dir.isBlank() ? Path.of(dir)
                : Path.of(System.getProperty("graft.home", ".")).resolve("data").resolve("memory").toAbsolutePath();
    }

    /**
     * The embedded default memory: the native store in {@code dir} with the offline
     * all-MiniLM-L6-v2 embedder, opened when an agent first uses memory.
     */
    public static MemoryStore defaultMemory(Path dir) {
        return new LazyMemoryStore("the native memory store at " + dir,
                () -> NativeMemoryStore.builder(dir, new MiniLmEmbedder()).open());
    }

    /** Assembles around a runtime built elsewhere (the server sets its admission bound). */
    public Graft(AgentRuntime runtime, PythonSettings pythonSettings) {
        this(runtime, () -> pythonSettings);
    }

    /**
     * Assembles around a runtime built elsewhere; the Python settings are read only when the first
     * Python agent loads (they check the GraalPy venv, which a native-only server does not need).
     */
    public Graft(AgentRuntime runtime, Supplier<PythonSettings> pythonSettings) {
        this.runtime = runtime;
        this.pythonSettings = pythonSettings;
    }

    /** Binds the runtime's meters now and the Python pool's once it starts. */
    @Override
    public synchronized void bindTo(MeterRegistry registry) {
        this.meters = registry;
        runtime.bindTo(registry);
        // A provider router (a providers file as the model) reports requests, errors, latency,
        // tokens, cost and breaker state per provider.
        if (runtime.model() instanceof MeterBinder router) {
            router.bindTo(registry);
        }
        if (pool != null) {
            pool.bindTo(registry);
        }
    }

    /** The Python pool if something has started it; a server with only native agents never does. */
    public synchronized Optional<PythonPool> pythonPool() {
        return Optional.ofNullable(pool);
    }

    public AgentRuntime runtime() {
        return runtime;
    }

    /**
     * Loads and registers the agents a file defines: a Python script, a native agent definition
     * (JSON), or a workflow definition (JSON with {@code "type": "workflow"}).
     */
    public List<Agent> load(Path file) {
        List<Agent> agents = define(file);
        agents.forEach(runtime::register);
        return agents;
    }

    /** Loads the agents a file defines without registering them, so a caller can check them first. */
    public List<Agent> define(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        List<Agent> agents;
        if (name.endsWith(".py")) {
            agents = python().load(file);
        } else if (name.endsWith(".json")) {
            agents = List.of(WorkflowDefinitions.isWorkflow(file) ? WorkflowDefinitions.load(file, runtime, Clock.systemUTC())
                    : NativeAgentDefinitions.load(file));
        } else {
            throw new AgentDefinitionException(file.toString(), "not an agent definition: expected a Python script (.py) "
                    + "or a native agent definition (.json)");
        }
        return agents;
    }

    /** The Python host, started on first use (starting it takes seconds). */
    public synchronized PythonAgents python() {
        PythonAgents agents = python;
        if (agents == null) {
            PythonEngine e = new PythonEngine(pythonSettings.get());
            PythonPool p = new PythonPool(e, runtime.tools());
            agents = new PythonAgents(p);
            engine = e;
            pool = p;
            python = agents;
            if (meters != null) {
                p.bindTo(meters);
            }
        }
        return agents;
    }

    @Override
    public synchronized void close() {
        runtime.close();
        runtime.memory().ifPresent(MemoryStore::close);
        if (pool != null) {
            pool.close();
        }
        if (engine != null) {
            engine.close();
        }
    }
}
