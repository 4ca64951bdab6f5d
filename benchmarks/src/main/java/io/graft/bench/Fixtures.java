package io.graft.bench;

import io.graft.core.AgentTask;
import io.graft.core.model.ScriptedChatModel;
import io.graft.server.http.RunService;
import io.graft.server.http.RunStore.StoredEvent;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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

    /** A stored run's result JSON with {@code chars} characters of steps, for the run store benchmarks. */
    static String storedResult(int chars) {
        return "{\"status\": \"COMPLETED\", \"output\": \"395\", \"steps\": [\"" + "s".repeat(chars) + "\"]}";
    }

    /** The 17 events the server stores with a native run: 16 steps, then the finished event, whose data is the result. */
    static List<StoredEvent> storedEvents(String result) {
        List<StoredEvent> events = new ArrayList<>();
        for (int i = 1; i <= 16; i++) {
            events.add(new StoredEvent(i, i % 3 == 0 ? "tool_result" : "llm_turn",
                    "{\"agent\": \"calculator-native\", \"text\": \"" + "x".repeat(100) + "\", \"n\": " + i + "}"));
        }
        events.add(new StoredEvent(17, RunService.FINISHED, result));
        return events;
    }
}
