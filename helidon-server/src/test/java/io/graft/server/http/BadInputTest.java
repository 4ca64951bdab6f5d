package io.graft.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BadInputTest {
    @TempDir
    Path dir;
    TestServer t;

    @BeforeEach
    void start() {
        t = new TestServer(dir, s -> s, Map.of("GRAFT_MAX_BODY_BYTES", "4096"));
    }

    @AfterEach
    void stop() {
        t.close();
    }

    private Map<String, Object> problem(TestServer.Reply r, int status) {
        assertEquals(status, r.status(), r.body());
        assertTrue(r.contentType().startsWith("application/problem+json"), r.contentType());
        Map<String, Object> p = r.json();
        assertEquals(status, p.get("status"));
        return p;
    }

    @Test
    void malformedJsonIsA400ThatSaysWhere() {
        var p = problem(t.post("/v1/runs", "{\"agent\": \"history\",\n \"input\": }"), 400);
        assertEquals("Malformed JSON", p.get("title"));
        assertEquals(2, p.get("line"));
    }

    @Test
    void textAfterTheObjectIsMalformedJsonAndStartsNoRun() {
        int before = runCount();
        for (String body : List.of("{\"agent\": \"history\"} ]]", "{\"agent\": \"history\"}{\"x\":", "{\"agent\": \"history\"} 7")) {
            var p = problem(t.post("/v1/runs", body), 400);
            assertEquals("Malformed JSON", p.get("title"), body);
            assertEquals(1, p.get("line"), body);
        }
        assertEquals(before, runCount());
    }

    @SuppressWarnings("unchecked")
    private int runCount() {
        return ((List<Object>) t.get("/v1/runs?limit=100").json().get("runs")).size();
    }

    @Test
    void eachWrongFieldIsNamed() {
        assertEquals("agent", problem(t.post("/v1/runs", "{\"input\": \"x\"}"), 400).get("field"));
        assertEquals("agent", problem(t.post("/v1/runs", "{\"agent\": 7}"), 400).get("field"));
        assertEquals("inputs", problem(t.post("/v1/runs", "{\"agent\": \"history\", \"inputs\": [1]}"), 400).get("field"));
        assertEquals("wait", problem(t.post("/v1/runs", "{\"agent\": \"history\", \"wait\": \"yes\"}"), 400).get("field"));
        assertEquals("timeout_seconds",
                problem(t.post("/v1/runs", "{\"agent\": \"history\", \"timeout_seconds\": -1}"), 400).get("field"));
        assertEquals("timeout_seconds",
                problem(t.post("/v1/runs", "{\"agent\": \"history\", \"timeout_seconds\": 1e-10}"), 400).get("field"));
        assertEquals("deadline", problem(t.post("/v1/runs", "{\"agent\": \"history\", \"deadline\": \"soon\"}"), 400).get("field"));
        assertEquals("metadata.k",
                problem(t.post("/v1/runs", "{\"agent\": \"history\", \"metadata\": {\"k\": 1}}"), 400).get("field"));
        var unknown = problem(t.post("/v1/runs", "{\"agent\": \"history\", \"inptu\": \"x\"}"), 400);
        assertEquals("inptu", unknown.get("field"));
        assertTrue(((String) unknown.get("detail")).startsWith("unknown field 'inptu'"));
        assertEquals("Malformed JSON", problem(t.post("/v1/runs", "{\"agent\": \"a\", \"agent\": \"b\"}"), 400).get("title"));
        problem(t.post("/v1/runs", "[1, 2]"), 400);
        problem(t.post("/v1/runs", ""), 400);
    }

    @Test
    void anUnknownAgentIsA404NamingTheField() {
        var p = problem(t.post("/v1/runs", "{\"agent\": \"nobody\"}"), 404);
        assertEquals("agent", p.get("field"));
        assertTrue(((String) p.get("detail")).contains("calculator-native"), p.toString());
    }

    @Test
    void aBodyThatIsNotJsonIs415AndAnUnknownRouteIs404() {
        var r = t.send(t.request("/v1/runs").header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString("agent=history")).build());
        problem(r, 415);
        problem(t.get("/v1/nothing-here"), 404);
    }

    /**
     * A few thousand malformed requests: mutated, truncated and retyped bodies, odd queries and
     * headers. None may answer 5xx, and the runs stored before must all still be there.
     */
    @Test
    void thousandsOfMalformedRequestsNeverAnswer5xxNorLoseStoredRuns() {
        List<String> stored = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            stored.add((String) t.post("/v1/runs", "{\"agent\": \"history\", \"input\": \"keep " + i + "\", \"wait\": true}")
                    .json().get("id"));
        }
        var kept = t.post("/v1/memory/kb", "{\"text\": \"parking is behind the building\", \"metadata\": {\"page\": 3}}");
        assertEquals(201, kept.status(), kept.body());
        String valid = "{\"agent\": \"calculator-native\", \"input\": \"17 * 23 + 4\", \"inputs\": {\"a\": [1, {\"b\": null}]},"
                + " \"thread\": \"th\", \"timeout_seconds\": 5, \"wait\": false, \"metadata\": {\"k\": \"v\"}}";
        String workflow = "{\"name\": \"fuzzflow\", \"pattern\": \"parallel\", \"agents\": [\"history\", \"calculator-native\"],"
                + " \"aggregator\": \"judge\", \"judge\": \"history\"}";
        String memory = "{\"items\": [{\"text\": \"the lift is out of order\", \"metadata\": {\"floor\": 2, \"tags\": [\"a\"]}}]}";
        String search = "{\"query\": \"where to park\", \"k\": 2, \"filter\": {\"page\": 3}}";
        String[] junk = {"{", "}", "[", "]", "\"", ":", ",", "null", "true", "1e999", "-", "\\u0000", "\\", "\u00ff", "{}", "[]",
            "\"agent\"", "\"wait\"", "99999999999999999999", "NaN", "\u0000", "/*", "\n"};
        Random random = new Random(42);
        int fives = 0;
        int refused = 0;
        List<String> offenders = new ArrayList<>();
        for (int i = 0; i < 2500; i++) {
            int kind = i % 8;
            StringBuilder b = new StringBuilder(switch (kind) {
                case 4 -> workflow;
                case 5 -> memory;
                case 6 -> search;
                default -> valid;
            });
            int edits = 1 + random.nextInt(4);
            for (int e = 0; e < edits && b.length() > 0; e++) {
                int at = random.nextInt(b.length());
                switch (random.nextInt(4)) {
                    case 0 -> b.deleteCharAt(at);
                    case 1 -> b.insert(at, junk[random.nextInt(junk.length)]);
                    case 2 -> b.setLength(at);
                    default -> b.setCharAt(at, (char) (32 + random.nextInt(95)));
                }
            }
            TestServer.Reply r = switch (kind) {
                case 0, 1, 2 -> t.post("/v1/runs", b.toString());
                case 3 -> t.put("/v1/agents/fuzz" + (i % 7), "application/json", b.toString()
                        .replace("calculator-native", "fuzz" + (i % 7)));
                case 4 -> t.post("/v1/workflows", b.toString());
                case 5 -> t.post("/v1/memory/kb", b.toString());
                case 6 -> t.post("/v1/memory/kb/search", b.toString());
                default -> t.send(t.request("/v1/runs?limit=" + enc(b.substring(0, Math.min(8, b.length())))
                        + "&status=" + enc(b.substring(Math.min(8, b.length()), Math.min(14, b.length())))
                        + "&offset=" + random.nextInt(3)).header("Last-Event-ID", "x").GET().build());
            };
            if (r.status() >= 500) {
                fives++;
                offenders.add(r.status() + " " + b + " -> " + r.body());
            }
            refused += r.status() >= 400 && r.status() < 500 ? 1 : 0;
            if (r.status() >= 400) {
                assertTrue(r.contentType().startsWith("application/problem+json"), r.contentType() + " " + r.body());
            }
        }
        assertTrue(refused > 1500, "the mutations should mostly be refused, were " + refused);
        assertEquals(0, fives, String.join("\n", offenders.subList(0, Math.min(5, offenders.size()))));
        for (String id : stored) {
            assertEquals("COMPLETED", t.get("/v1/runs/" + id).json().get("status"));
        }
        String keptId = String.valueOf(((List<?>) kept.json().get("ids")).getFirst());
        assertEquals("parking is behind the building", t.get("/v1/memory/kb/" + keptId).json().get("text"));
        var binary = t.send(t.request("/v1/runs").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[] {(byte) 0xff, (byte) 0xfe, 0, 1, 2})).build());
        assertTrue(binary.status() == 400, binary.body());
    }

    private static String enc(String s) {
        return java.net.URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
