package io.graft.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `graft serve` with a providers file as its model: runs go to a real (loopback) OpenAI-compatible server. */
class ProvidersServeTest {
    @TempDir
    Path dir;

    @Test
    void aServerWhoseModelIsAProvidersFileRunsAgentsOnTheProviderAndReportsItsMetrics() throws IOException {
        AtomicInteger calls = new AtomicInteger();
        HttpServer provider = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        provider.createContext("/v1/chat/completions", exchange -> {
            calls.incrementAndGet();
            exchange.getRequestBody().readAllBytes();
            byte[] body = """
                    {"id": "c1", "object": "chat.completion", "model": "tiny",
                     "choices": [{"index": 0, "message": {"role": "assistant", "content": "It is 395."},
                                  "finish_reason": "stop"}],
                     "usage": {"prompt_tokens": 12, "completion_tokens": 4, "total_tokens": 16}}
                    """.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        provider.start();
        Path providers = dir.resolve("providers.yaml");
        Files.writeString(providers, """
                providers:
                  local:
                    type: openai
                    base_url: http://127.0.0.1:%d/v1
                    models:
                      tiny:
                        context_window: 8192
                        price: {input: 1.0, output: 2.0}
                policies:
                  only:
                    strategy: priority
                    targets: [local/tiny]
                """.formatted(provider.getAddress().getPort()));
        try (TestServer t = new TestServer(dir, s -> s, Map.of("GRAFT_MODEL", "providers:" + providers))) {
            Map<String, Object> run = t.awaitRun(t.startRun("calculator-native", "What is 17 * 23 + 4?"));
            assertEquals("COMPLETED", run.get("status"), run::toString);
            @SuppressWarnings("unchecked")
            Map<String, Object> result = (Map<String, Object>) run.get("result");
            assertEquals("It is 395.", result.get("output"));
            assertTrue(((Map<?, ?>) ((Map<?, ?>) result.get("metrics")).get("providers")).containsKey("local"), result::toString);
            assertEquals(1, calls.get());

            String metrics = t.get("/metrics").body();
            assertTrue(metrics.lines().anyMatch(l -> l.startsWith("graft_provider_requests_total{")
                    && l.contains("provider=\"local\"") && l.contains("outcome=\"success\"") && l.endsWith(" 1.0")), metrics);
        } finally {
            provider.stop(0);
        }
    }
}
