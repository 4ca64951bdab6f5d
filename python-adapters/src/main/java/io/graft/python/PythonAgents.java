package io.graft.python;

import io.graft.core.Agent;
import io.graft.core.AgentDefinitionException;
import io.graft.core.AgentDescriptor;
import io.graft.core.Framework;
import io.graft.core.GraftException;
import io.graft.core.RunContext;
import io.graft.core.model.ChatModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * Loads agent scripts: imports a script in one context to find and check its agents, then hands
 * out {@link Agent}s that import it in any other context on first use.
 */
public final class PythonAgents {
    private final PythonPool pool;
    private final Map<String, Loaded> byAgent = new ConcurrentHashMap<>();
    private final Map<Framework, PythonFrameworkAdapter> adapters = new EnumMap<>(Framework.class);
    private final AtomicLong versions = new AtomicLong();
    private volatile @Nullable WarmUp warmUp;

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
        pool.engine().allowRead(path.getParent());
        LoadAnswer answer = pool.withAnyContext(context -> context.importScript(ref));
        List<Agent> agents = new ArrayList<>();
        for (Map<String, Object> a : answer.agents()) {
            Framework framework = Framework.fromId(String.valueOf(a.get("framework")));
            AgentDescriptor descriptor = new AgentDescriptor(String.valueOf(a.get("name")), framework,
                    String.valueOf(a.get("description")), path.toString(), inputSchema(a));
            byAgent.put(descriptor.name(), new Loaded(descriptor, ref));
            agents.add(adapters.get(framework).agent(descriptor));
        }
        return agents;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> inputSchema(Map<String, Object> agent) {
        return agent.get("input_schema") instanceof Map<?, ?> schema ? (Map<String, Object>) schema : Map.of();
    }

    /** An agent and the script version that defines it. */
    private record Loaded(AgentDescriptor descriptor, ScriptRef script) {}

    private ScriptRef script(String agent) {
        Loaded loaded = byAgent.get(agent);
        if (loaded == null) {
            throw new GraftException("agent '" + agent + "' was not loaded from a Python script");
        }
        return loaded.script();
    }

    /** A module name unique to the path, so two scripts with the same file name do not collide. */
    private static String moduleName(Path path) {
        String stem = path.getFileName().toString().replaceFirst("\\.py$", "").replaceAll("[^A-Za-z0-9_]", "_");
        return "graft_agent_" + stem + "_" + Integer.toHexString(path.toString().hashCode());
    }

    /**
     * Warms every pooled context before it serves (those running now in the background, each later
     * replacement before its first run): for {@code budget} per context the agents loaded now run
     * in turn against {@code model}, which should cost nothing (a scripted model). The pool reports
     * ready once every context is warmed. See {@link WarmUp} for what a warm-up run is.
     */
    public void warmUp(ChatModel model, Duration budget) {
        if (budget.isNegative() || budget.isZero()) {
            return;
        }
        List<AgentDescriptor> agents = byAgent.values().stream().map(Loaded::descriptor).toList();
        WarmUp w = new WarmUp(pool, agents, this::runOnce, model, budget, Clock.systemUTC());
        pool.prepareEach(w);
        warmUp = w;
    }

    /** Agents whose warm-up stopped because a warm-up run failed, by name (none before {@link #warmUp}). */
    public SortedSet<String> notWarmedUp() {
        WarmUp w = warmUp;
        return w == null ? new TreeSet<>() : w.skipped();
    }

    private void runOnce(AgentDescriptor agent, PythonContext context, RunContext run) {
        PythonFrameworkAdapter adapter = adapters.get(agent.framework());
        String input = adapter.convertTask(agent, run.task());
        String output = pool.serve(context, run, c -> adapter.executeOn(c, agent, input, run));
        adapter.convertResult(agent, run.task(), output, run);
    }

    public PythonPool pool() {
        return pool;
    }
}
