package io.graft.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.graft.core.json.Json;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunsApiTest {
    @TempDir
    Path dir;
    TestServer t;

    @BeforeEach
    void start() {
        t = new TestServer(dir);
    }

    @AfterEach
    void stop() {
        t.close();
    }

    @Test
    void aRunWithWaitAnswersTheFinishedResultOfTheNativeReActAgent() {
        var r = t.post("/v1/runs", """
                {"agent": "calculator-native", "input": "What is 17 * 23 + 4?", "wait": true}""");
        assertEquals(200, r.status(), r.body());
        Map<String, Object> run = r.json();
        assertEquals("COMPLETED", run.get("status"));
        assertEquals("native", run.get("framework"));
        @SuppressWarnings("unchecked")
        Map<String, Object> result = (Map<String, Object>) run.get("result");
        assertEquals("17 * 23 + 4 = 395.", result.get("output"));
        assertEquals(2, ((Map<?, ?>) result.get("metrics")).get("llm_calls"));
        assertTrue(r.raw().headers().firstValue("Location").orElseThrow().endsWith("/v1/runs/" + run.get("id")));
    }

    @Test
    void aLargeInputIsStoredAndReadBackWhole() {
        String input = "word ".repeat(150_000);
        var r = t.post("/v1/runs", Json.write(java.util.Map.of("agent", "history", "input", input, "wait", true)));
        assertEquals(200, r.status(), r.body().substring(0, Math.min(300, r.body().length())));
        var stored = t.get("/v1/runs/" + r.json().get("id")).json();
        assertEquals(input, stored.get("input"));
        assertTrue(((String) ((Map<?, ?>) stored.get("result")).get("output")).endsWith(input));
    }

    @Test
    void aRunWithoutWaitAnswers202AndFinishesInTheBackground() {
        String id = t.startRun("calculator-native", "What is 17 * 23 + 4?");
        Map<String, Object> run = t.awaitRun(id);
        assertEquals("COMPLETED", run.get("status"));
        assertNotNull(run.get("finished_at"));
    }

    @Test
    void eventsOfAFinishedRunStreamInOrderAndResumeAfterLastEventId() throws Exception {
        String id = t.startRun("calculator-native", "What is 17 * 23 + 4?");
        t.awaitRun(id);
        List<String[]> events = sse(t, id, null);
        List<String> names = events.stream().map(e -> e[1]).toList();
        assertEquals("run_started", names.getFirst());
        assertEquals("finished", names.getLast());
        assertTrue(names.contains("token"), names.toString());
        assertTrue(names.contains("llm_turn"), names.toString());
        int call = names.indexOf("tool_call");
        assertTrue(call > 0 && names.get(call + 1).equals("tool_result"), names.toString());
        Map<String, Object> toolResult = Json.readMap(events.get(call + 1)[2], "tool_result");
        assertEquals("395", toolResult.get("result"));
        for (int i = 0; i < events.size(); i++) {
            assertEquals(Integer.toString(i + 1), events.get(i)[0]);
        }
        // The result's steps are the steps as their events carried them (a tool's as its tool_result, typed tool_call).
        List<Object> steps = events.stream().filter(e -> List.of("llm_turn", "tool_result", "message").contains(e[1])).map(e -> {
            Map<String, Object> step = new java.util.LinkedHashMap<>(Json.readMap(e[2], e[1]));
            if (e[1].equals("tool_result")) {
                step.put("type", "tool_call");
            }
            return (Object) step;
        }).toList();
        assertEquals(7, steps.size());
        assertEquals(steps, Json.readMap(events.getLast()[2], "finished").get("steps"));

        List<String[]> resumed = sse(t, id, "3");
        assertEquals(events.size() - 3, resumed.size());
        assertEquals("4", resumed.getFirst()[0]);
        assertEquals("finished", resumed.getLast()[1]);
    }

    @Test
    void liveEventsReachASubscriberWhileTheRunIsInProgress() throws Exception {
        String id = t.startRun("gate", "hello");
        var request = t.request("/v1/runs/" + id + "/events").GET().build();
        HttpResponse<InputStream> response = t.http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, response.statusCode());
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream"));
        try (BufferedReader in = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            List<String[]> seen = new ArrayList<>();
            // The run is still waiting at its gate: the first events arrive before it finishes.
            while (seen.size() < 2) {
                seen.add(readEvent(in));
            }
            assertEquals(List.of("run_started", "message"), seen.stream().map(e -> e[1]).toList());
            assertEquals("RUNNING", t.get("/v1/runs/" + id).json().get("status"));
            t.gate.countDown();
            String[] last = readEvent(in);
            assertEquals("finished", last[1]);
            assertEquals("opened: hello", Json.readMap(last[2], "finished").get("output"));
            // Whoever has seen the finished event reads the run as ended, with no wait.
            assertEquals("COMPLETED", t.get("/v1/runs/" + id).json().get("status"));
        }
    }

    @Test
    void aStreamedRunAnswersWithItsEventsAndStopsWhenTheClientLeaves() throws Exception {
        HttpResponse<InputStream> response = t.http.send(t.request("/v1/runs").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"agent\": \"gate\", \"input\": \"s\", \"stream\": true}")).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, response.statusCode());
        String id = response.headers().firstValue("Location").orElseThrow().replace("/v1/runs/", "");
        BufferedReader in = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8));
        assertEquals("run_started", readEvent(in)[1]);
        assertEquals("message", readEvent(in)[1]);
        in.close();
        // The server notices at its next write (a heartbeat at the latest) and cancels the run.
        assertEquals("CANCELLED", t.awaitRun(id).get("status"));
    }

    @Test
    void aStreamedRunThatWasAskedToContinueOutlivesItsClient() throws Exception {
        HttpResponse<InputStream> response = t.http.send(t.request("/v1/runs").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(
                        "{\"agent\": \"gate\", \"input\": \"s\", \"stream\": true, \"continue_on_disconnect\": true}")).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        String id = response.headers().firstValue("Location").orElseThrow().replace("/v1/runs/", "");
        BufferedReader in = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8));
        assertEquals("run_started", readEvent(in)[1]);
        in.close();
        Thread.sleep(RunsApi.HEARTBEAT.toMillis() + 1000);
        assertEquals("RUNNING", t.get("/v1/runs/" + id).json().get("status"));
        t.gate.countDown();
        assertEquals("COMPLETED", t.awaitRun(id).get("status"));
    }

    @Test
    void cancellingARunInProgressStopsItAndASecondCancelIsAConflict() {
        String id = t.startRun("gate", "x");
        var r = t.post("/v1/runs/" + id + "/cancel", "");
        assertEquals(202, r.status(), r.body());
        assertEquals("CANCELLED", r.json().get("status"), "the answer is the run as stored at its end: " + r.body());
        assertEquals("CANCELLED", t.get("/v1/runs/" + id).json().get("status"));
        var again = t.post("/v1/runs/" + id + "/cancel", "");
        assertEquals(409, again.status());
        assertTrue(again.contentType().startsWith("application/problem+json"));
    }

    @Test
    void aThreadGivesTheNextRunTheEarlierExchanges() {
        var first = t.post("/v1/runs", """
                {"agent": "history", "input": "my name is Ada", "thread": "t-1", "wait": true}""").json();
        assertEquals("heard 0 [] now: my name is Ada", ((Map<?, ?>) first.get("result")).get("output"));
        var second = t.post("/v1/runs", """
                {"agent": "history", "input": "what is my name?", "thread": "t-1", "wait": true}""").json();
        String output = (String) ((Map<?, ?>) second.get("result")).get("output");
        assertTrue(output.startsWith("heard 2 [user: my name is Ada | assistant: heard 0"), output);
        var thread = t.get("/v1/threads/t-1");
        assertEquals(200, thread.status());
        assertEquals(4, thread.list("messages").size());
        assertEquals(404, t.get("/v1/threads/nope").status());
    }

    @Test
    void runsAreListedNewestFirstWithFiltersAndPaging() {
        for (int i = 0; i < 3; i++) {
            t.post("/v1/runs", "{\"agent\": \"history\", \"input\": \"n" + i + "\", \"wait\": true}");
        }
        t.post("/v1/runs", "{\"agent\": \"calculator-native\", \"input\": \"x\", \"wait\": true}");
        var page = t.get("/v1/runs?agent=history&limit=2");
        assertEquals(200, page.status(), page.body());
        assertEquals(List.of("n2", "n1"), page.list("runs").stream().map(r -> r.get("input")).toList());
        assertEquals(2, page.json().get("next_offset"));
        var rest = t.get("/v1/runs?agent=history&limit=2&offset=2");
        assertEquals(List.of("n0"), rest.list("runs").stream().map(r -> r.get("input")).toList());
        assertEquals(null, rest.json().get("next_offset"));
        assertEquals(4, t.get("/v1/runs?status=COMPLETED").list("runs").size());
        var bad = t.get("/v1/runs?limit=0");
        assertEquals(400, bad.status());
        assertEquals("limit", bad.json().get("field"));
    }

    @Test
    void aRunPastItsTimeoutEndsTimedOut() {
        var r = t.post("/v1/runs", """
                {"agent": "gate", "input": "x", "timeout_seconds": 0.2, "wait": true}""");
        assertEquals(200, r.status(), r.body());
        assertEquals("TIMED_OUT", r.json().get("status"));
    }

    @Test
    void healthAndMetricsReportTheServerAndItsRuns() {
        assertEquals(200, t.get("/health/live").status());
        var ready = t.get("/health/ready");
        assertEquals(200, ready.status());
        assertTrue(ready.body().contains("not started"), ready.body());
        t.post("/v1/runs", "{\"agent\": \"calculator-native\", \"input\": \"x\", \"wait\": true}");
        var metrics = t.get("/metrics");
        assertEquals(200, metrics.status());
        assertTrue(metrics.body().contains("graft_runs_total{agent=\"calculator-native\",framework=\"native\",status=\"COMPLETED\"}"),
                metrics.body());
        assertTrue(metrics.body().contains("graft_run_latency_seconds_bucket"));
        assertTrue(metrics.body().contains("jvm_memory_used_bytes"));
        assertTrue(metrics.body().contains("graft_runs_capacity"));
        // The run's start and its end are at least two store writes, committed in at most as many transactions.
        double writes = sample(metrics.body(), "graft_store_writes_total");
        double commits = sample(metrics.body(), "graft_store_commits_total");
        assertTrue(writes >= 2 && commits >= 1 && commits <= writes, writes + " writes in " + commits + " commits");
        assertTrue(metrics.body().contains("graft_store_queued "), metrics.body());
        assertFalse(t.server.graft().pythonPool().isPresent(), "a server with only native agents never starts GraalPy");
    }

    @Test
    void aStreamResumedWhileTheRunGoesGetsTheEventsAfterTheLastOneSeenThenTheLiveOnes() throws Exception {
        String id = (String) t.post("/v1/runs", "{\"agent\": \"gate\", \"input\": \"door\"}").json().get("id");
        // The gate agent's message is event 2, after run_started; whether it has happened yet or not, the
        // stream resumed after 1 gives it (replayed or live), then waits for the end.
        java.util.concurrent.CompletableFuture<List<String[]>> resumed = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                return sse(t, id, "1");
            } catch (IOException | InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        Thread.sleep(200); // the stream is open and waiting on the live run
        assertFalse(resumed.isDone(), "the run is still going: its stream must not have ended");
        t.gate.countDown();
        List<String[]> events = resumed.get(10, java.util.concurrent.TimeUnit.SECONDS);
        assertEquals(List.of("2 message", "3 finished"), events.stream().map(e -> e[0] + " " + e[1]).toList());
        assertTrue(events.get(1)[2].contains("opened: door"), events.get(1)[2]);
    }

    @Test
    void aDeadlineEndsTheRunTimedOutAndALaterOneLetsItFinish() {
        String soon = java.time.Instant.now().plusMillis(300).toString();
        var late = t.post("/v1/runs", "{\"agent\": \"gate\", \"input\": \"x\", \"wait\": true, \"deadline\": \"" + soon + "\"}");
        assertEquals(200, late.status(), late.body());
        assertEquals("TIMED_OUT", late.json().get("status"), late.body());
        String later = java.time.Instant.now().plusSeconds(30).toString();
        var fine = t.post("/v1/runs", "{\"agent\": \"history\", \"input\": \"x\", \"wait\": true, \"deadline\": \"" + later + "\"}");
        assertEquals("COMPLETED", fine.json().get("status"), fine.body());
    }

    private static double sample(String prometheus, String name) {
        var m = java.util.regex.Pattern.compile("(?m)^" + name + " (\\S+)$").matcher(prometheus);
        assertTrue(m.find(), name + " missing in " + prometheus);
        return Double.parseDouble(m.group(1));
    }

    /** Reads a whole stream: each event as {id, name, data}. */
    static List<String[]> sse(TestServer t, String id, String lastEventId) throws IOException, InterruptedException {
        HttpRequest.Builder b = t.request("/v1/runs/" + id + "/events").GET();
        if (lastEventId != null) {
            b.header("Last-Event-ID", lastEventId);
        }
        HttpResponse<InputStream> response = t.http.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, response.statusCode());
        List<String[]> out = new ArrayList<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            String[] e;
            while ((e = readEvent(in)) != null) {
                out.add(e);
            }
        }
        return out;
    }

    /** One event {id, name, data}, skipping comments; null at the end of the stream. */
    static String[] readEvent(BufferedReader in) throws IOException {
        String id = null;
        String name = null;
        StringBuilder data = new StringBuilder();
        String line;
        while ((line = in.readLine()) != null) {
            if (line.isEmpty()) {
                if (name != null || data.length() > 0) {
                    return new String[] {id, name, data.toString()};
                }
                continue;
            }
            if (line.startsWith(":")) {
                continue;
            }
            int colon = line.indexOf(':');
            String field = colon < 0 ? line : line.substring(0, colon);
            String value = colon < 0 ? "" : line.substring(colon + 1).replaceFirst("^ ", "");
            switch (field) {
                case "id" -> id = value;
                case "event" -> name = value;
                case "data" -> data.append(data.length() > 0 ? "\n" : "").append(value);
                default -> { }
            }
        }
        return name != null ? new String[] {id, name, data.toString()} : null;
    }
}
