package io.graft.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.graft.core.GraftException;
import io.graft.core.json.Json;
import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AccessTest {
    @TempDir
    Path dir;

    private static String sha(String key) {
        return HexFormat.of().formatHex(ApiKeys.sha256(key));
    }

    private TestServer withKeys() {
        return new TestServer(dir, s -> s, Map.of("GRAFT_API_KEYS",
                "acme:" + sha("acme-admin-key") + ":admin, acme:" + sha("acme-user-key") + ", globex:" + sha("globex-key")));
    }

    @Test
    void withKeysConfiguredARequestWithoutAKnownKeyIsUnauthorized() {
        try (TestServer t = withKeys()) {
            var none = t.get("/v1/agents");
            assertEquals(401, none.status());
            assertEquals("Bearer", none.raw().headers().firstValue("WWW-Authenticate").orElseThrow());
            assertEquals(401, t.as("wrong").get("/v1/agents").status());
            assertEquals(200, t.as("acme-user-key").get("/v1/agents").status());
            assertEquals(200, t.as("").get("/health/live").status(), "health needs no key");
            assertEquals(200, t.as("").get("/openapi.yaml").status(), "nor does the API's description");
        }
    }

    @Test
    void withKeysConfiguredTheMetricsNeedAnAdminKeyForTheyNameEveryTenant() {
        try (TestServer t = withKeys()) {
            assertEquals(200, t.as("globex-key").post("/v1/runs", "{\"agent\": \"history\", \"input\": \"x\", \"wait\": true}")
                    .status());
            var none = t.as("").get("/metrics");
            assertEquals(401, none.status());
            assertTrue(none.contentType().startsWith("application/problem+json"), none.contentType());
            var user = t.as("acme-user-key").get("/metrics");
            assertEquals(403, user.status());
            assertEquals("the metrics need an admin key: they show every tenant's usage", user.json().get("detail"));
            var admin = t.as("acme-admin-key").get("/metrics");
            assertEquals(200, admin.status());
            assertTrue(admin.body().contains("graft_runs_total"), admin.body());
        }
    }

    @Test
    void everyRequestIsOneJsonLineInTheAccessLogWithItsTenant() throws Exception {
        try (TestServer t = withKeys()) {
            assertEquals(200, t.as("acme-user-key").get("/v1/agents").status());
            assertEquals(401, t.as("wrong").get("/v1/runs").status());
            assertEquals(200, t.as("").get("/health/live").status());
        } // closing writes every queued line
        List<String> lines = Files.readAllLines(dir.resolve("access.log"));
        assertEquals(3, lines.size(), String.join("\n", lines));
        List<Map<String, Object>> entries = lines.stream().map(l -> Json.readMap(l, "access log line")).toList();
        assertEquals(Set.of("GET /v1/agents 200 acme", "GET /v1/runs 401 null", "GET /health/live 200 null"),
                entries.stream().map(e -> e.get("method") + " " + e.get("path") + " " + e.get("status") + " " + e.get("tenant"))
                        .collect(Collectors.toSet()));
        for (Map<String, Object> e : entries) {
            assertEquals("127.0.0.1", e.get("remote"));
            assertTrue(e.get("ts") instanceof String ts && Instant.parse(ts) != null, e.toString());
            assertTrue(e.get("ms") instanceof Number ms && ms.doubleValue() >= 0, e.toString());
        }
    }

    @Test
    void anAccessLogThatCannotBeOpenedIsAClearErrorAtStart() throws Exception {
        Files.createDirectories(dir.resolve("logs-dir"));
        var e = assertThrows(GraftException.class,
                () -> new TestServer(dir, s -> s, Map.of("GRAFT_ACCESS_LOG", dir.resolve("logs-dir").toString())));
        assertTrue(e.getMessage().startsWith("cannot open the access log " + dir.resolve("logs-dir")), e.getMessage());
    }

    @Test
    void anotherTenantsRunsAndThreadsAnswer404() {
        try (TestServer t = withKeys()) {
            var run = t.as("acme-user-key").post("/v1/runs", """
                    {"agent": "history", "input": "secret", "thread": "shared-name", "wait": true}""").json();
            String id = (String) run.get("id");
            assertEquals(200, t.get("/v1/runs/" + id).status());
            t.as("globex-key");
            assertEquals(404, t.get("/v1/runs/" + id).status());
            assertEquals(404, t.get("/v1/runs/" + id + "/events").status());
            assertEquals(404, t.post("/v1/runs/" + id + "/cancel", "").status());
            assertEquals(404, t.get("/v1/threads/shared-name").status());
            assertEquals(0, t.get("/v1/runs").list("runs").size());
            // The same thread name in another tenant is another thread.
            var other = t.post("/v1/runs", """
                    {"agent": "history", "input": "hi", "thread": "shared-name", "wait": true}""").json();
            assertEquals("heard 0 [] now: hi", ((Map<?, ?>) other.get("result")).get("output"));
        }
    }

    @Test
    void changingAgentsNeedsAnAdminKey() {
        try (TestServer t = withKeys()) {
            String def = "{\"type\": \"react\", \"name\": \"adder\", \"tools\": [\"calculator\"]}";
            var user = t.as("acme-user-key").put("/v1/agents/adder", "application/json", def);
            assertEquals(403, user.status());
            assertEquals(403, t.delete("/v1/agents/calculator-native").status());
            assertEquals(201, t.as("acme-admin-key").put("/v1/agents/adder", "application/json", def).status());
            assertEquals(403, t.as("globex-key").get("/v1/audit").status());
        }
    }

    @Test
    void aFullServerAnswers429WithRetryAfterAndStoresNothing() {
        try (TestServer t = new TestServer(dir, s -> s, Map.of("GRAFT_MAX_IN_FLIGHT", "1", "GRAFT_RETRY_AFTER_SECONDS", "3"))) {
            String first = t.startRun("gate", "one");
            var refused = t.post("/v1/runs", "{\"agent\": \"gate\", \"input\": \"two\"}");
            assertEquals(429, refused.status(), refused.body());
            assertEquals("3", refused.raw().headers().firstValue("Retry-After").orElseThrow());
            assertTrue(refused.contentType().startsWith("application/problem+json"));
            assertEquals(1, t.get("/v1/runs").list("runs").size());
            // Nor is the refused run in the audit trail: only the run that started is.
            assertEquals(List.of(first), t.get("/v1/audit").list("records").stream()
                    .filter(r -> "run.start".equals(r.get("action"))).map(r -> r.get("target")).toList());
            t.gate.countDown();
            assertEquals("COMPLETED", t.awaitRun(first).get("status"));
            assertEquals(200, t.post("/v1/runs", "{\"agent\": \"gate\", \"input\": \"three\", \"wait\": true}").status());
        }
    }

    @Test
    void aBodyOverTheLimitIs413WithOrWithoutAContentLength() {
        try (TestServer t = new TestServer(dir, s -> s, Map.of("GRAFT_MAX_BODY_BYTES", "1000"))) {
            String big = Json.write(Map.of("agent", "history", "input", "x".repeat(2000)));
            var declared = t.post("/v1/runs", big);
            assertEquals(413, declared.status(), declared.body());
            assertEquals(1000, declared.json().get("limit"));
            var chunked = t.send(t.request("/v1/runs").header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(big.getBytes()))).build());
            assertEquals(413, chunked.status(), chunked.body());
            assertEquals(200, t.post("/v1/runs", "{\"agent\": \"history\", \"input\": \"small\", \"wait\": true}").status());
            // Far beyond the limit (past the web server's own bound as well): still a problem+json 413.
            var huge = t.post("/v1/runs", "{\"input\": \"" + "y".repeat(3 << 20) + "\"}");
            assertEquals(413, huge.status(), huge.body());
            assertTrue(huge.contentType().startsWith("application/problem+json"), huge.contentType());
        }
    }
}
