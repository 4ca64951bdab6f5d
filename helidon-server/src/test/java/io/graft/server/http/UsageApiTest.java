package io.graft.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Token and cost accounting per tenant: {@code /v1/usage} and the {@code graft.tenant.*} meters, over a real provider. */
class UsageApiTest {
    @TempDir
    Path dir;

    private static String sha(String key) {
        return HexFormat.of().formatHex(ApiKeys.sha256(key));
    }

    private TestServer server(LoopbackOpenAi provider) throws IOException {
        return new TestServer(dir, s -> s, Map.of(
                "GRAFT_MODEL", "providers:" + provider.providersFile(dir),
                "GRAFT_API_KEYS", "acme:" + sha("acme-key") + ", globex:" + sha("globex-key") + ", ops:" + sha("ops-key") + ":admin"));
    }

    private static void complete(TestServer t, String agent) {
        assertEquals("COMPLETED", t.awaitRun(t.startRun(agent, "What is 17 * 23 + 4?")).get("status"));
    }

    @Test
    void eachTenantSeesItsOwnTokensAndCostInTotalAndPerAgentProviderAndDayAcrossARestart() throws IOException {
        try (LoopbackOpenAi provider = new LoopbackOpenAi()) {
            try (TestServer t = server(provider)) {
                complete(t.as("acme-key"), "calculator-native");
                complete(t, "history"); // calls no model: not in the accounting
                complete(t.as("globex-key"), "calculator-native");
                complete(t, "calculator-native");
                assertEquals(3, provider.calls.get());

                String metrics = t.as("ops-key").get("/metrics").body(); // the meters name every tenant: an admin key reads them
                assertTrue(metrics.lines().anyMatch(l -> l.startsWith("graft_tenant_tokens_total{") && l.contains("tenant=\"globex\"")
                        && l.contains("direction=\"in\"") && l.contains("provider=\"local\"") && l.endsWith(" 24.0")), metrics);
                assertTrue(metrics.lines().anyMatch(l -> l.startsWith("graft_tenant_cost_usd_total{")
                        && l.contains("tenant=\"acme\"")), metrics);
            }
            try (TestServer t = server(provider)) {
                Map<String, Object> acme = t.as("acme-key").get("/v1/usage?by=provider").json();
                assertEquals("acme", acme.get("tenant"));
                assertUsage(1, 1, acme.get("total"));
                List<?> groups = (List<?>) acme.get("groups");
                assertEquals(1, groups.size(), acme::toString);
                assertEquals("local", ((Map<?, ?>) groups.getFirst()).get("provider"));
                assertUsage(1, 1, groups.getFirst());

                Map<String, Object> globex = t.as("globex-key").get("/v1/usage?by=agent").json();
                assertUsage(2, 2, globex.get("total"));
                assertEquals("calculator-native", ((Map<?, ?>) ((List<?>) globex.get("groups")).getFirst()).get("agent"));

                Map<String, Object> byDay = t.get("/v1/usage?by=day").json();
                assertEquals(LocalDate.now(ZoneOffset.UTC).toString(), ((Map<?, ?>) ((List<?>) byDay.get("groups")).getFirst()).get("day"),
                        byDay::toString);

                Map<String, Object> before = t.get("/v1/usage?to=2020-01-01T00:00:00Z").json();
                assertUsage(0, 0, before.get("total"));
                // Usage is kept per minute: the range widens to the minutes it touches, and the answer says so.
                Map<String, Object> widened = t.get("/v1/usage?from=2020-01-01T00:00:30Z&to=2020-01-01T00:01:30Z").json();
                assertEquals(List.of("2020-01-01T00:00:00Z", "2020-01-01T00:02:00Z"), List.of(widened.get("from"), widened.get("to")));
            }
        }
    }

    @Test
    void aBadRangeOrGroupIsA400NamingTheParameter() throws IOException {
        try (LoopbackOpenAi provider = new LoopbackOpenAi(); TestServer t = server(provider)) {
            t.as("acme-key");
            assertProblem(t.get("/v1/usage?by=model"), "by", "agent, provider, day");
            assertProblem(t.get("/v1/usage?from=yesterday"), "from", "ISO-8601");
            assertProblem(t.get("/v1/usage?from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z"), "from", "before");
            assertEquals(401, t.as("").get("/v1/usage").status());
        }
    }

    private static void assertUsage(long runs, long calls, Object usage) {
        Map<?, ?> u = (Map<?, ?>) usage;
        assertEquals(runs, ((Number) u.get("runs")).longValue(), u::toString);
        assertEquals(calls, ((Number) u.get("llm_calls")).longValue(), u::toString);
        assertEquals(calls * LoopbackOpenAi.INPUT_TOKENS, ((Number) u.get("input_tokens")).longValue(), u::toString);
        assertEquals(calls * LoopbackOpenAi.OUTPUT_TOKENS, ((Number) u.get("output_tokens")).longValue(), u::toString);
        assertEquals(calls * LoopbackOpenAi.COST_PER_CALL, ((Number) u.get("cost_usd")).doubleValue(), 1e-12, u::toString);
    }

    private static void assertProblem(TestServer.Reply r, String field, String says) {
        assertEquals(400, r.status(), r.body());
        assertTrue(r.contentType().startsWith("application/problem+json"), r.contentType());
        assertTrue(r.body().contains(field) && r.body().contains(says), r.body());
    }
}
