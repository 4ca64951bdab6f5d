package io.graft.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.graft.core.Agent;
import io.graft.core.AgentDescriptor;
import io.graft.core.AgentResult;
import io.graft.core.AgentTask;
import io.graft.core.Framework;
import io.graft.core.RunContext;
import io.graft.core.json.Json;
import io.graft.core.memory.MemoryHit;
import io.graft.nativecore.embed.MiniLmEmbedder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /v1/memory} on a real server over the real native store in a temporary directory. Tests
 * about the API give vectors explicitly (no model load); the agent and text-search tests embed with
 * the real MiniLM model.
 */
class MemoryApiTest {
    private static final int DIM = MiniLmEmbedder.DIMENSION;

    @TempDir
    Path dir;

    /** A unit vector along axis {@code axis}, leaning a little towards {@code lean} so scores differ. */
    private static List<Double> axis(int axis, int lean) {
        List<Double> v = new ArrayList<>(java.util.Collections.nCopies(DIM, 0.0));
        v.set(axis, 1.0);
        v.set(lean, 0.2);
        return v;
    }

    private static String json(Object value) {
        return Json.write(value);
    }

    private static Map<String, Object> problem(TestServer.Reply r, int status) {
        assertEquals(status, r.status(), r.body());
        assertTrue(r.contentType().startsWith("application/problem+json"), r.contentType());
        return r.json();
    }

    private static String sha(String key) {
        return HexFormat.of().formatHex(ApiKeys.sha256(key));
    }

    @Test
    @SuppressWarnings("unchecked")
    void aMemoryRoundTripsThroughAddSearchGetListUpdateAndDelete() {
        try (TestServer t = new TestServer(dir)) {
            var added = t.post("/v1/memory/kb", json(Map.of("items", List.of(
                    Map.of("text", "invoices are due on the 5th", "metadata", Map.of("kind", "policy", "page", 3),
                            "vector", axis(0, 10)),
                    Map.of("text", "the office cat is Miso", "metadata", Map.of("kind", "fact"), "vector", axis(1, 10)),
                    Map.of("text", "guests sign in at reception", "metadata", Map.of("kind", "policy"),
                            "vector", axis(2, 10))))));
            assertEquals(201, added.status(), added.body());
            List<String> ids = (List<String>) added.json().get("ids");
            assertEquals(3, ids.size());

            var one = t.post("/v1/memory/kb", json(Map.of("text", "parking is behind the building", "vector", axis(3, 10))));
            assertEquals(201, one.status(), one.body());
            String parking = ((List<String>) one.json().get("ids")).getFirst();

            var hits = t.post("/v1/memory/kb/search", json(Map.of("vector", axis(1, 11), "k", 2))).list("hits");
            assertEquals(2, hits.size());
            assertEquals(ids.get(1), hits.getFirst().get("id"));
            assertEquals("the office cat is Miso", hits.getFirst().get("text"));
            assertEquals(Map.of("kind", "fact"), hits.getFirst().get("metadata"));
            double best = ((Number) hits.get(0).get("score")).doubleValue();
            assertTrue(best > ((Number) hits.get(1).get("score")).doubleValue(), hits.toString());

            var filtered = t.post("/v1/memory/kb/search", json(Map.of("vector", axis(1, 11),
                    "filter", Map.of("kind", Map.of("$in", List.of("policy")))))).list("hits");
            assertEquals(2, filtered.size(), "k defaults to 4; only two memories are policies");
            assertTrue(filtered.stream().allMatch(h -> ((Map<?, ?>) h.get("metadata")).get("kind").equals("policy")));
            var byPage = t.post("/v1/memory/kb/search", json(Map.of("vector", axis(2, 11), "filter", Map.of("page", 3))))
                    .list("hits");
            assertEquals(List.of(ids.get(0)), byPage.stream().map(h -> h.get("id")).toList(), "numbers are stored as text");

            var got = t.get("/v1/memory/kb/" + ids.get(0));
            assertEquals(200, got.status(), got.body());
            assertEquals(Map.of("id", ids.get(0), "text", "invoices are due on the 5th",
                    "metadata", Map.of("kind", "policy", "page", "3")), got.json());
            List<Number> vector = (List<Number>) t.get("/v1/memory/kb/" + ids.get(0) + "?vector=true").json().get("vector");
            assertEquals(DIM, vector.size());
            assertTrue(vector.get(0).doubleValue() > 0.9, "stored at unit length for cosine: " + vector.get(0));

            var page1 = t.get("/v1/memory/kb?limit=3").json();
            assertEquals(ids, ((List<Map<String, Object>>) page1.get("memories")).stream().map(m -> m.get("id")).toList());
            assertEquals(ids.get(2), page1.get("next"));
            var page2 = t.get("/v1/memory/kb?limit=3&after=" + page1.get("next")).json();
            assertEquals(List.of(parking), ((List<Map<String, Object>>) page2.get("memories")).stream()
                    .map(m -> m.get("id")).toList());
            assertFalse(page2.containsKey("next"), "the last page has no next: " + page2);
            String facts = URLEncoder.encode("{\"kind\": \"fact\"}", StandardCharsets.UTF_8);
            assertEquals(1, t.get("/v1/memory/kb?filter=" + facts).list("memories").size());

            var updated = t.put("/v1/memory/kb/" + ids.get(1), "application/json",
                    json(Map.of("text", "the office cat is called Miso", "metadata", Map.of("kind", "fact", "v", "2"),
                            "vector", axis(1, 12))));
            assertEquals(200, updated.status(), updated.body());
            assertEquals("the office cat is called Miso", t.get("/v1/memory/kb/" + ids.get(1)).json().get("text"));
            assertEquals("2", ((Map<?, ?>) t.get("/v1/memory/kb/" + ids.get(1)).json().get("metadata")).get("v"));

            assertEquals(204, t.delete("/v1/memory/kb/" + ids.get(2)).status());
            problem(t.get("/v1/memory/kb/" + ids.get(2)), 404);
            problem(t.delete("/v1/memory/kb/" + ids.get(2)), 404);
            problem(t.put("/v1/memory/kb/" + ids.get(2), "application/json", json(Map.of("text", "back", "vector", axis(5, 6)))),
                    404);
            assertEquals(3, t.get("/v1/memory/kb").list("memories").size());

            t.post("/v1/memory/notes", json(Map.of("text", "a note", "vector", axis(7, 8))));
            assertEquals(List.of(Map.of("name", "kb", "count", 3), Map.of("name", "notes", "count", 1)),
                    t.get("/v1/memory").list("collections"));

            List<String> actions = t.get("/v1/audit").list("records").stream().map(r -> (String) r.get("action")).toList();
            assertEquals(List.of("memory.add", "memory.delete", "memory.update", "memory.add", "memory.add"), actions);
        }
    }

    @Test
    void aTextSearchFindsTheMemoryClosestInMeaningWithTheRealEmbedder() {
        try (TestServer t = new TestServer(dir)) {
            var added = t.post("/v1/memory/handbook", json(Map.of("items", List.of(
                    Map.of("text", "Invoices must be paid within thirty days of receipt."),
                    Map.of("text", "The office cat is called Miso and sleeps by the window."),
                    Map.of("text", "Visitors sign in at the front desk and wear a badge.")))));
            assertEquals(201, added.status(), added.body());
            var hits = t.post("/v1/memory/handbook/search", json(Map.of("query", "when do I have to pay a bill?", "k", 3)))
                    .list("hits");
            assertEquals(3, hits.size());
            assertEquals("Invoices must be paid within thirty days of receipt.", hits.getFirst().get("text"));
            var pet = t.post("/v1/memory/handbook/search", json(Map.of("query", "what is the name of our pet?", "k", 1)))
                    .list("hits");
            assertEquals("The office cat is called Miso and sleeps by the window.", pet.getFirst().get("text"));
        }
    }

    @Test
    void aTenantNeverReachesAnotherTenantsMemory() {
        try (TestServer t = new TestServer(dir, s -> s, Map.of("GRAFT_API_KEYS",
                "acme:" + sha("acme-key") + ", globex:" + sha("globex-key")))) {
            var acme = t.as("acme-key").post("/v1/memory/kb", json(Map.of("text", "acme secret", "vector", axis(0, 1))));
            assertEquals(201, acme.status(), acme.body());
            @SuppressWarnings("unchecked")
            String id = ((List<String>) acme.json().get("ids")).getFirst();
            assertEquals(200, t.get("/v1/memory/kb/" + id).status(), "a key without admin reads its tenant's memory");

            t.as("globex-key");
            assertEquals(List.of(), t.get("/v1/memory").list("collections"));
            assertEquals("Unknown collection", problem(t.get("/v1/memory/kb/" + id), 404).get("title"));
            problem(t.post("/v1/memory/kb/search", json(Map.of("vector", axis(0, 1)))), 404);
            problem(t.delete("/v1/memory/kb/" + id), 404);
            // The same name in another tenant is another collection.
            var globex = t.post("/v1/memory/kb", json(Map.of("text", "globex note", "vector", axis(0, 2))));
            assertEquals(201, globex.status(), globex.body());
            var seen = t.post("/v1/memory/kb/search", json(Map.of("vector", axis(0, 1), "k", 10))).list("hits");
            assertEquals(List.of("globex note"), seen.stream().map(h -> h.get("text")).toList());
            assertEquals(401, t.as("").get("/v1/memory").status());

            t.as("acme-key");
            assertEquals(List.of("acme secret"), t.get("/v1/memory/kb").list("memories").stream().map(m -> m.get("text")).toList());
        }
    }

    @Test
    void badInputIs400WithTheStoresMessageAndNothingStoredChanges() {
        try (TestServer t = new TestServer(dir)) {
            assertEquals(201, t.post("/v1/memory/kb", json(Map.of("text", "kept", "vector", axis(0, 1)))).status());

            var empty = problem(t.post("/v1/memory/kb", json(Map.of("items", List.of(
                    Map.of("text", "fine", "vector", axis(1, 2)), Map.of("text", " ", "vector", axis(1, 2)))))), 400);
            assertEquals("text must not be empty", empty.get("detail"));
            assertEquals("items[1].text", empty.get("field"));

            var dimension = problem(t.post("/v1/memory/kb", json(Map.of("items", List.of(
                    Map.of("text", "fine", "vector", axis(1, 2)), Map.of("text", "short", "vector", List.of(1, 2, 3)))))), 400);
            assertEquals("vector of record 1 must have dimension 384, was 3", dimension.get("detail"));
            assertEquals("items[1].vector", dimension.get("field"));

            List<Double> huge = axis(1, 2);
            huge.set(7, 1e300);
            assertEquals("vector of record 0 component 7 must be finite, was Infinity",
                    problem(t.post("/v1/memory/kb", json(Map.of("text", "x", "vector", huge))), 400).get("detail"));
            assertEquals("Malformed JSON", problem(t.post("/v1/memory/kb", "{\"text\": \"x\", \"vector\": [NaN]}"), 400)
                    .get("title"));
            List<Double> zeros = new ArrayList<>(java.util.Collections.nCopies(DIM, 0.0));
            assertEquals("vector of record 0 is all zeros, which has no direction for cosine similarity",
                    problem(t.post("/v1/memory/kb", json(Map.of("text", "x", "vector", zeros))), 400).get("detail"));
            assertEquals("items[0].metadata.tags", problem(t.post("/v1/memory/kb", json(Map.of("items", List.of(
                    Map.of("text", "x", "metadata", Map.of("tags", List.of("a"))))))), 400).get("field"));
            assertEquals("items", problem(t.post("/v1/memory/kb", json(Map.of("items", List.of()))), 400).get("field"));
            assertEquals("text", problem(t.post("/v1/memory/kb", json(Map.of("items", List.of(Map.of("text", "a")),
                    "text", "b"))), 400).get("field"));
            assertEquals("items[0].txt", problem(t.post("/v1/memory/kb", json(Map.of("items", List.of(Map.of("txt", "a"))))),
                    400).get("field"));

            assertEquals("k must be positive, was 0", problem(t.post("/v1/memory/kb/search",
                    json(Map.of("vector", axis(0, 1), "k", 0))), 400).get("detail"));
            assertEquals("k must be at most 1000, was 1001", problem(t.post("/v1/memory/kb/search",
                    json(Map.of("vector", axis(0, 1), "k", 1001))), 400).get("detail"));
            assertEquals("query vector must have dimension 384, was 2", problem(t.post("/v1/memory/kb/search",
                    json(Map.of("vector", List.of(1, 0)))), 400).get("detail"));
            assertEquals("text must not be empty", problem(t.post("/v1/memory/kb/search", json(Map.of("query", ""))), 400)
                    .get("detail"));
            var regex = problem(t.post("/v1/memory/kb/search", json(Map.of("vector", axis(0, 1),
                    "filter", Map.of("kind", Map.of("$regex", "a.*"))))), 400);
            assertEquals("unknown filter operator '$regex' on 'kind'", regex.get("detail"));
            assertEquals("filter", regex.get("field"));
            assertEquals("query", problem(t.post("/v1/memory/kb/search", json(Map.of("k", 3))), 400).get("field"));
            assertEquals("query", problem(t.post("/v1/memory/kb/search", json(Map.of("query", "a", "vector", axis(0, 1)))), 400)
                    .get("field"));

            String badFilter = URLEncoder.encode("{\"$and\": []}", StandardCharsets.UTF_8);
            assertEquals("filter '$and' needs a non-empty list, was [] (ArrayList)",
                    problem(t.get("/v1/memory/kb?filter=" + badFilter), 400).get("detail"));
            assertEquals("filter", problem(t.get("/v1/memory/kb?filter=%7Bnope"), 400).get("field"));
            assertEquals("limit must be positive, was 0", problem(t.get("/v1/memory/kb?limit=0"), 400).get("detail"));
            assertEquals("limit", problem(t.get("/v1/memory/kb?limit=many"), 400).get("field"));
            assertEquals("vector", problem(t.get("/v1/memory/kb/1?vector=yes"), 400).get("field"));

            var name = problem(t.post("/v1/memory/bad%20name", json(Map.of("text", "x", "vector", axis(0, 1)))), 400);
            assertEquals("collection must be 1 to 64 of [A-Za-z0-9._-] and not . or .., was 'bad name'", name.get("detail"));
            assertEquals("collection", name.get("field"));
            var id = problem(t.get("/v1/memory/kb/not%20an%20id"), 400);
            assertEquals("id", id.get("field"));

            // Nothing refused was stored, and no refused write created a collection.
            assertEquals(List.of("kept"), t.get("/v1/memory/kb").list("memories").stream().map(m -> m.get("text")).toList());
            assertEquals(List.of(Map.of("name", "kb", "count", 1)), t.get("/v1/memory").list("collections"));
        }
    }

    @Test
    void anUnknownCollectionIsA404NamingIt() {
        try (TestServer t = new TestServer(dir)) {
            for (TestServer.Reply r : List.of(t.get("/v1/memory/nobody"), t.get("/v1/memory/nobody/1"),
                    t.post("/v1/memory/nobody/search", json(Map.of("vector", axis(0, 1)))), t.delete("/v1/memory/nobody/1"),
                    t.put("/v1/memory/nobody/1", "application/json", json(Map.of("text", "x", "vector", axis(0, 1)))))) {
                var p = problem(r, 404);
                assertEquals("no memory collection 'nobody' (it is created by its first write)", p.get("detail"));
                assertEquals("collection", p.get("field"));
            }
            assertEquals(List.of(), t.get("/v1/memory").list("collections"), "reading creates nothing");
        }
    }

    @Test
    void aServerWithoutMemoryAnswers503() {
        try (TestServer t = new TestServer(dir, s -> s, Map.of("GRAFT_MEMORY_ENABLED", "false"))) {
            var p = problem(t.get("/v1/memory"), 503);
            assertEquals("Memory disabled", p.get("title"));
            assertTrue(((String) p.get("detail")).contains("GRAFT_MEMORY_ENABLED"), p.toString());
            problem(t.post("/v1/memory/kb", json(Map.of("text", "x"))), 503);
            assertTrue(t.server.graft().runtime().memory().isEmpty());
        }
    }

    @Test
    void aStoreThatCannotOpenIs503NotTheCallersFault() throws Exception {
        Path notADirectory = java.nio.file.Files.writeString(dir.resolve("occupied"), "a file where the store should be");
        try (TestServer t = new TestServer(dir, s -> s, Map.of("GRAFT_MEMORY_DIR", notADirectory.toString()))) {
            var p = problem(t.post("/v1/memory/kb", json(Map.of("text", "x", "vector", axis(0, 1)))), 503);
            assertEquals("Memory store unavailable", p.get("title"));
            assertTrue(((String) p.get("detail")).startsWith("cannot open the native memory store at " + notADirectory),
                    p.toString());
            problem(t.get("/v1/memory"), 503);
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void whatAnAgentRemembersIsVisibleOverHttpAndWhatHttpStoresReachesTheAgent() {
        try (TestServer t = new TestServer(dir, s -> s, Map.of("GRAFT_API_KEYS", "acme:" + sha("acme-key")))) {
            t.server.graft().runtime().register(new RememberingAgent());
            t.as("acme-key");
            var kb = t.post("/v1/memory/kb", json(Map.of("text", "The staff canteen serves lunch from noon to two.")));
            assertEquals(201, kb.status(), kb.body());

            var run = t.post("/v1/runs", json(Map.of("agent", "rememberer", "input", "The customer prefers email.",
                    "wait", true))).json();
            Map<String, Object> result = (Map<String, Object>) run.get("result");
            assertEquals("COMPLETED", run.get("status"), run.toString());
            assertEquals("The staff canteen serves lunch from noon to two.", result.get("output"),
                    "the agent found over memory(\"kb\") what HTTP stored");

            var own = t.get("/v1/memory/rememberer").list("memories");
            assertEquals(List.of("The customer prefers email."), own.stream().map(m -> m.get("text")).toList());
            assertEquals(Map.of("source", "agent"), own.getFirst().get("metadata"));
            var hits = t.post("/v1/memory/rememberer/search", json(Map.of("query", "how should we contact the client?", "k", 1)))
                    .list("hits");
            assertEquals("The customer prefers email.", hits.getFirst().get("text"));
            assertNotEquals(0.0, ((Number) hits.getFirst().get("score")).doubleValue());
            assertEquals(List.of(Map.of("name", "kb", "count", 1), Map.of("name", "rememberer", "count", 1)),
                    t.get("/v1/memory").list("collections"));
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void concurrentFirstWritesToANewCollectionAllLand() throws Exception {
        try (TestServer t = new TestServer(dir);
                var pool = java.util.concurrent.Executors.newFixedThreadPool(8)) {
            List<java.util.concurrent.Future<TestServer.Reply>> replies = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                String body = json(Map.of("text", "memory " + i, "vector", axis(i, 100)));
                replies.add(pool.submit(() -> t.post("/v1/memory/fresh", body)));
            }
            java.util.Set<String> ids = new java.util.HashSet<>();
            for (var r : replies) {
                TestServer.Reply reply = r.get();
                assertEquals(201, reply.status(), reply.body());
                ids.addAll((List<String>) reply.json().get("ids"));
            }
            assertEquals(16, ids.size());
            assertEquals(List.of(Map.of("name", "fresh", "count", 16)), t.get("/v1/memory").list("collections"));
        }
    }

    /**
     * A thousand mutated add, search, update and list requests: none answers 5xx, every refusal
     * (but a 404) is problem+json, and the memories stored before are all still there, unchanged.
     */
    @Test
    @SuppressWarnings("unchecked")
    void mutatedRequestsNeverAnswer5xxNorChangeStoredMemories() {
        try (TestServer t = new TestServer(dir)) {
            var added = t.post("/v1/memory/kb", json(Map.of("items", List.of(
                    Map.of("text", "keep one", "metadata", Map.of("kind", "a"), "vector", axis(0, 1)),
                    Map.of("text", "keep two", "metadata", Map.of("kind", "b"), "vector", axis(2, 3))))));
            List<String> kept = (List<String>) added.json().get("ids");
            List<Map<String, Object>> before = kept.stream().map(id -> t.get("/v1/memory/kb/" + id).json()).toList();
            String[] valid = {
                json(Map.of("items", List.of(Map.of("text", "x", "metadata", Map.of("k", "v"), "vector", axis(4, 5))))),
                json(Map.of("vector", axis(0, 1), "k", 3, "filter", Map.of("$or", List.of(Map.of("kind", "a"),
                        Map.of("kind", Map.of("$nin", List.of("c")))))))};
            String[] junk = {"{", "}", "[", "]", "\"", ":", ",", "null", "true", "1e999", "-", "\\u0000", "\\", "\u00ff",
                "{}", "[]", "\"text\"", "\"k\"", "99999999999999999999", "NaN", "\u0000", "\"$in\"", "\n", "-0"};
            java.util.Random random = new java.util.Random(7);
            List<String> offenders = new ArrayList<>();
            int refused = 0;
            for (int i = 0; i < 1000; i++) {
                StringBuilder b = new StringBuilder(valid[i % 2]);
                // Mutations land near the start more often, where the field names and structure are.
                int span = random.nextBoolean() ? Math.min(b.length(), 120) : b.length();
                for (int e = 1 + random.nextInt(3); e > 0 && b.length() > 0; e--) {
                    int at = random.nextInt(Math.min(span, b.length()));
                    switch (random.nextInt(4)) {
                        case 0 -> b.deleteCharAt(at);
                        case 1 -> b.insert(at, junk[random.nextInt(junk.length)]);
                        case 2 -> b.setLength(at);
                        default -> b.setCharAt(at, (char) (32 + random.nextInt(95)));
                    }
                }
                TestServer.Reply r = switch (i % 4) {
                    case 0 -> t.post("/v1/memory/kb", b.toString());
                    case 1 -> t.post("/v1/memory/kb/search", b.toString());
                    case 2 -> t.put("/v1/memory/kb/77777", "application/json", b.toString());
                    default -> t.get("/v1/memory/kb?limit=" + random.nextInt(3) + "&filter="
                            + URLEncoder.encode(b.substring(0, Math.min(b.length(), 40)), StandardCharsets.UTF_8));
                };
                if (r.status() >= 500) {
                    offenders.add(r.status() + " " + b + " -> " + r.body());
                }
                refused += r.status() >= 400 && r.status() < 500 ? 1 : 0;
                if (r.status() >= 400 && r.status() != 404) {
                    assertTrue(r.contentType().startsWith("application/problem+json"), r.contentType() + " " + r.body());
                }
            }
            assertTrue(refused > 500, "the mutations should mostly be refused, were " + refused);
            assertEquals(List.of(), offenders.subList(0, Math.min(5, offenders.size())));
            assertEquals(before, kept.stream().map(id -> t.get("/v1/memory/kb/" + id).json()).toList());
        }
    }

    /** Stores its input in its own memory, then answers with what the tenant's "kb" says about lunch. */
    static final class RememberingAgent implements Agent {
        @Override
        public AgentDescriptor descriptor() {
            return new AgentDescriptor("rememberer", Framework.NATIVE, "remembers its input", "java:" + getClass().getName());
        }

        @Override
        public AgentResult execute(AgentTask task, RunContext run) {
            run.memory().add(task.input(), Map.of("source", "agent"));
            List<MemoryHit> hits = run.memory("kb").search("when can I eat lunch?", 1);
            String answer = hits.isEmpty() ? "nothing" : hits.getFirst().memory().text();
            return AgentResult.completed(task, Framework.NATIVE, answer, Map.of(), List.of());
        }
    }
}
