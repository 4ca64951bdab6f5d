package io.graft.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.graft.server.http.RunStore.StoredRun;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
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
    void manyConcurrentRunsAreAllStoredWithTheirEventsAndAuditRecordsAndSurviveARestart() throws Exception {
        int waiting = 48;
        int detached = 16;
        Map<String, Integer> events = new ConcurrentHashMap<>();
        List<String> ids = new CopyOnWriteArrayList<>();
        try (TestServer t = new TestServer(dir); ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> all = new ArrayList<>();
            for (int i = 0; i < waiting + detached; i++) {
                boolean wait = i < waiting;
                all.add(clients.submit(() -> {
                    var r = t.post("/v1/runs", "{\"agent\": \"calculator-native\", \"input\": \"What is 17 * 23 + 4?\", \"wait\": "
                            + wait + "}");
                    String id = (String) r.json().get("id");
                    // A 202's run is findable at once; a wait=true answer is the run as stored, with every event.
                    var now = t.get("/v1/runs/" + id);
                    assertEquals(200, now.status(), now.body());
                    if (wait) {
                        assertEquals(200, r.status(), r.body());
                        assertEquals("COMPLETED", now.json().get("status"));
                        events.put(id, RunsApiTest.sse(t, id, null).size());
                    } else {
                        assertEquals(202, r.status(), r.body());
                    }
                    ids.add(id);
                    return null;
                }));
            }
            for (Future<?> f : all) {
                f.get(60, TimeUnit.SECONDS);
            }
            // Detached runs may still be going when the server stops: they end completed, cancelled or interrupted.
        }
        try (TestServer t = new TestServer(dir)) {
            assertEquals(waiting + detached, ids.size());
            for (String id : ids) {
                var run = t.get("/v1/runs/" + id).json();
                String status = (String) run.get("status");
                if (events.containsKey(id)) {
                    assertEquals("COMPLETED", status);
                    assertEquals(events.get(id), RunsApiTest.sse(t, id, null).size(), "events of run " + id);
                } else {
                    assertTrue(Set.of("COMPLETED", "CANCELLED", "INTERRUPTED").contains(status), status);
                }
            }
            var starts = t.get("/v1/audit").list("records").stream().filter(r -> "run.start".equals(r.get("action")))
                    .map(r -> (String) r.get("target")).collect(Collectors.toSet());
            assertEquals(Set.copyOf(ids), starts);
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
