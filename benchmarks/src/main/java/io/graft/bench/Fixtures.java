package io.graft.bench;

import io.graft.core.AgentTask;
import io.graft.core.model.ScriptedChatModel;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

/** Shared set-up: where the examples are, and cheap task ids (the scripted model keeps one cursor per run id). */
final class Fixtures {
    private static final AtomicLong IDS = new AtomicLong();

    private Fixtures() {}

    static Path home() {
        return Path.of(System.getProperty("graft.home", ".")).toAbsolutePath().normalize();
    }

    static Path example(String relative) {
        return home().resolve("examples").resolve(relative);
    }

    static ScriptedChatModel model(String example) {
        return ScriptedChatModel.fromFile(example(example + "/scripted.json"));
    }

    static AgentTask task(String agent, String input) {
        return AgentTask.of(agent, input).withId("bench-" + IDS.incrementAndGet());
    }
}
