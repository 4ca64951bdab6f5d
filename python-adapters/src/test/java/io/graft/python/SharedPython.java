package io.graft.python;

import io.graft.core.AgentRuntime;
import io.graft.core.model.ChatModel;
import io.graft.core.tool.ToolRegistry;
import java.nio.file.Path;
import java.time.Clock;

/** One engine and pool for the whole test JVM: contexts take seconds to warm, so tests share them. */
final class SharedPython {
    static final ToolRegistry TOOLS = ToolRegistry.builtIns(Clock.systemUTC());
    private static PythonAgents agents;

    private SharedPython() {}

    static synchronized PythonAgents agents() {
        if (agents == null) {
            PythonEngine engine = new PythonEngine(PythonSettings.fromSystem().withPoolSize(2));
            PythonPool pool = new PythonPool(engine, TOOLS);
            // Tests of concurrency and recovery rely on every context being up, and timings are
            // steadier when no context is still importing in the background.
            try {
                if (!pool.awaitWarm(java.time.Duration.ofMinutes(10))) {
                    throw new AssertionError("the Python pool did not warm: " + pool.health().detail());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while the Python pool warmed", e);
            }
            agents = new PythonAgents(pool);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                pool.close();
                engine.close();
            }));
        }
        return agents;
    }

    static AgentRuntime runtime(ChatModel model) {
        return AgentRuntime.builder(model).tools(TOOLS).build();
    }

    /** A runtime on {@code model} and {@code memory} with the agents {@code script} defines. */
    static AgentRuntime runtimeFor(Path script, ChatModel model, io.graft.core.memory.MemoryStore memory) {
        AgentRuntime runtime = AgentRuntime.builder(model).tools(TOOLS).memory(memory).build();
        agents().load(script).forEach(runtime::register);
        return runtime;
    }

    /** A runtime on {@code model} with the agents {@code script} defines. */
    static AgentRuntime runtimeFor(Path script, ChatModel model) {
        AgentRuntime runtime = runtime(model);
        agents().load(script).forEach(runtime::register);
        return runtime;
    }

    /** A runtime with an example's agent and its scripted model. */
    static AgentRuntime exampleRuntime(String example) {
        return runtimeFor(example(example + "/agent.py"),
                io.graft.core.model.ScriptedChatModel.fromFile(example(example + "/scripted.json")));
    }

    static Path example(String relative) {
        return Path.of("..", "examples").resolve(relative).toAbsolutePath().normalize();
    }

    static Path script(String name) {
        return Path.of("src", "test", "resources", "scripts", name).toAbsolutePath();
    }
}
