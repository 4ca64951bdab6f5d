package io.graft.python;

import io.graft.core.Agent;
import io.graft.core.AgentDefinitionException;
import io.graft.core.AgentDescriptor;
import io.graft.core.Framework;
import io.graft.core.GraftException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Loads agent scripts: imports a script in one context to find and check its agents, then hands
 * out {@link Agent}s that import it in any other context on first use.
 */
public final class PythonAgents {
    private final PythonPool pool;
    private final Map<String, ScriptRef> byAgent = new ConcurrentHashMap<>();
    private final Map<Framework, PythonFrameworkAdapter> adapters = new EnumMap<>(Framework.class);
    private final AtomicLong versions = new AtomicLong();

    public PythonAgents(PythonPool pool) {
        this.pool = pool;
        for (Framework f : Framework.values()) {
            if (f != Framework.NATIVE) {
                adapters.put(f, new PythonFrameworkAdapter(f, pool, this::script));
            }
        }
    }

    /**
     * Imports {@code script} and returns its agents. A script that fails to import, or defines no
     * agent, fails with {@link AgentDefinitionException} naming the file and line; agents loaded
     * before from the same script keep serving.
     */
    public List<Agent> load(Path script) {
        Path path = script.toAbsolutePath().normalize();
        if (!Files.isRegularFile(path)) {
            throw new AgentDefinitionException(path.toString(), "no such file");
        }
        String source;
        try {
            source = Files.readString(path);
        } catch (java.io.IOException e) {
            throw new AgentDefinitionException(path.toString(), "cannot read: " + e.getMessage());
        }
        ScriptRef ref = new ScriptRef(path, moduleName(path), versions.incrementAndGet(), source);
        LoadAnswer answer = pool.withAnyContext(context -> context.importScript(ref));
        List<Agent> agents = new ArrayList<>();
        for (Map<String, Object> a : answer.agents()) {
            Framework framework = Framework.fromId(String.valueOf(a.get("framework")));
            AgentDescriptor descriptor = new AgentDescriptor(String.valueOf(a.get("name")), framework,
                    String.valueOf(a.get("description")), path.toString());
            byAgent.put(descriptor.name(), ref);
            agents.add(adapters.get(framework).agent(descriptor));
        }
        return agents;
    }

    private ScriptRef script(String agent) {
        ScriptRef ref = byAgent.get(agent);
        if (ref == null) {
            throw new GraftException("agent '" + agent + "' was not loaded from a Python script");
        }
        return ref;
    }

    /** A module name unique to the path, so two scripts with the same file name do not collide. */
    private static String moduleName(Path path) {
        String stem = path.getFileName().toString().replaceFirst("\\.py$", "").replaceAll("[^A-Za-z0-9_]", "_");
        return "graft_agent_" + stem + "_" + Integer.toHexString(path.toString().hashCode());
    }

    public PythonPool pool() {
        return pool;
    }
}
