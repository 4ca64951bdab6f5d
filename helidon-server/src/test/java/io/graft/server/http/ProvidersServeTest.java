package io.graft.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `graft serve` with a providers file as its model: runs go to a real (loopback) OpenAI-compatible server. */
class ProvidersServeTest {
    @TempDir
    Path dir;

    @Test
    void aServerWhoseModelIsAProvidersFileRunsAgentsOnTheProviderAndReportsItsMetrics() throws IOException {
        try (LoopbackOpenAi provider = new LoopbackOpenAi();
                TestServer t = new TestServer(dir, s -> s, Map.of("GRAFT_MODEL", "providers:" + provider.providersFile(dir)))) {
            Map<String, Object> run = t.awaitRun(t.startRun("calculator-native", "What is 17 * 23 + 4?"));
            assertEquals("COMPLETED", run.get("status"), run::toString);
            @SuppressWarnings("unchecked")
            Map<String, Object> result = (Map<String, Object>) run.get("result");
            assertEquals("It is 395.", result.get("output"));
            assertTrue(((Map<?, ?>) ((Map<?, ?>) result.get("metrics")).get("providers")).containsKey("local"), result::toString);
            assertEquals(1, provider.calls.get());

            String metrics = t.get("/metrics").body();
            assertTrue(metrics.lines().anyMatch(l -> l.startsWith("graft_provider_requests_total{")
                    && l.contains("provider=\"local\"") && l.contains("outcome=\"success\"") && l.endsWith(" 1.0")), metrics);
        }
    }
}
