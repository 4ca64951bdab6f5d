package io.graft.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.graft.server.http.RunStore.StoredRun;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DurabilityTest {
    @TempDir
    Path dir;

    @Test
    void runsEventsAndThreadsSurviveARestart() throws Exception {
        String id;
        List<String[]> before;
        try (TestServer t = new TestServer(dir)) {
            id = (String) t.post("/v1/runs", """
                    {"agent": "calculator-native", "input": "What is 17 * 23 + 4?", "thread": "t", "wait": true}""")
                    .json().get("id");
            before = RunsApiTest.sse(t, id, null);
        }
        try (TestServer t = new TestServer(dir)) {
            var run = t.get("/v1/runs/" + id).json();
            assertEquals("COMPLETED", run.get("status"));
            assertEquals("17 * 23 + 4 = 395.", ((Map<?, ?>) run.get("result")).get("output"));
            List<String[]> after = RunsApiTest.sse(t, id, null);
            assertEquals(before.stream().map(e -> e[1] + e[2]).toList(), after.stream().map(e -> e[1] + e[2]).toList());
            assertEquals(2, t.get("/v1/threads/t").list("messages").size());
            assertEquals(0, t.server.interruptedAtStart());
        }
    }

    @Test
    void runsCutOffByACrashAreMarkedInterruptedOnStart() throws Exception {
        // A crash leaves a run RUNNING in the database; write one as a crashed server would have.
        try (RunStore store = new RunStore("jdbc:h2:file:" + dir.resolve("db/graft"), "sa", "")) {
            store.insertRun(new StoredRun("crashed-1", ApiKeys.OPEN_TENANT, "gate", "native", RunStore.RUNNING, "", "x",
                    Instant.now(), Optional.empty(), Optional.empty()));
            store.appendEvent("crashed-1", new RunStore.StoredEvent(1, "run_started", "{}"));
        }
        try (TestServer t = new TestServer(dir)) {
            assertEquals(1, t.server.interruptedAtStart());
            var run = t.get("/v1/runs/crashed-1").json();
            assertEquals("INTERRUPTED", run.get("status"));
            assertTrue(run.get("finished_at") != null);
            // Its stream holds what was stored and then ends, rather than waiting for a run that is gone.
            var events = RunsApiTest.sse(t, "crashed-1", null);
            assertEquals(1, events.size());
            assertEquals(1, t.get("/v1/runs?status=INTERRUPTED").list("runs").size());
        }
    }
}
