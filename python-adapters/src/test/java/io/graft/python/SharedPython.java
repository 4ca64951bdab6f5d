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

    static Path example(String relative) {
        return Path.of("..", "examples").resolve(relative).toAbsolutePath().normalize();
    }

    static Path script(String name) {
        return Path.of("src", "test", "resources", "scripts", name).toAbsolutePath();
    }
}
