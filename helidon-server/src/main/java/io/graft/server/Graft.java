package io.graft.server;

import io.graft.core.Agent;
import io.graft.core.AgentDefinitionException;
import io.graft.core.AgentRuntime;
import io.graft.core.agents.NativeAgentDefinitions;
import io.graft.core.model.ChatModel;
import io.graft.core.tool.ToolRegistry;
import io.graft.python.PythonAgents;
import io.graft.python.PythonEngine;
import io.graft.python.PythonPool;
import io.graft.python.PythonSettings;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * One assembled Graft: the agent runtime with its model and tools, and (started on first use) the
 * GraalPy pool that hosts Python agents. Loads agent definitions of every kind by file.
 */
public final class Graft implements AutoCloseable {
    private final AgentRuntime runtime;
    private final PythonSettings pythonSettings;
    private @Nullable PythonAgents python;
    private @Nullable PythonEngine engine;
    private @Nullable PythonPool pool;

    public Graft(ChatModel model, PythonSettings pythonSettings) {
        this.runtime = AgentRuntime.builder(model).tools(ToolRegistry.builtIns(Clock.systemUTC())).build();
        this.pythonSettings = pythonSettings;
    }

    public AgentRuntime runtime() {
        return runtime;
    }

    /** Loads and registers the agents a file defines: a Python script, or a native agent definition (JSON). */
    public List<Agent> load(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        List<Agent> agents;
        if (name.endsWith(".py")) {
            agents = python().load(file);
        } else if (name.endsWith(".json")) {
            agents = List.of(NativeAgentDefinitions.load(file));
        } else {
            throw new AgentDefinitionException(file.toString(), "not an agent definition: expected a Python script (.py) "
                    + "or a native agent definition (.json)");
        }
        agents.forEach(runtime::register);
        return agents;
    }

    /** The Python host, started on first use (starting it takes seconds). */
    public synchronized PythonAgents python() {
        PythonAgents agents = python;
        if (agents == null) {
            PythonEngine e = new PythonEngine(pythonSettings);
            PythonPool p = new PythonPool(e, runtime.tools());
            agents = new PythonAgents(p);
            engine = e;
            pool = p;
            python = agents;
        }
        return agents;
    }

    @Override
    public synchronized void close() {
        runtime.close();
        if (pool != null) {
            pool.close();
        }
        if (engine != null) {
            engine.close();
        }
    }
}
