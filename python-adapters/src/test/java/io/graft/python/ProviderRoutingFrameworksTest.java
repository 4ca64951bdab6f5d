package io.graft.python;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.graft.core.AgentResult;
import io.graft.core.AgentRuntime;
import io.graft.core.AgentTask;
import io.graft.core.RunStatus;
import io.graft.core.agents.NativeAgentDefinitions;
import io.graft.core.provider.ProviderRouter;
import io.graft.core.provider.ProvidersConfig;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every framework reaches the same provider router: LangChain, AutoGen, CrewAI (in GraalPy) and a
 * native agent, against two OpenAI-compatible servers on loopback of which the first fails.
 */
class ProviderRoutingFrameworksTest {
    private static final String ANSWER = "routed answer";

    private final AtomicInteger primaryCalls = new AtomicInteger();
    private final AtomicInteger backupCalls = new AtomicInteger();
    private HttpServer primary;
    private HttpServer backup;

    @BeforeEach
    void startProviders() throws IOException {
        primary = server(exchange -> {
            primaryCalls.incrementAndGet();
            exchange.getRequestBody().readAllBytes();
            send(exchange, 500, "application/json", "{\"error\": {\"message\": \"primary is down\"}}");
        });
        backup = server(exchange -> {
            backupCalls.incrementAndGet();
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            if (body.replace(" ", "").contains("\"stream\":true")) {
                send(exchange, 200, "text/event-stream",
                        "data: {\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"" + ANSWER + "\"}}]}\n\n"
                        + "data: {\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}],"
                        + "\"usage\":{\"prompt_tokens\":7,\"completion_tokens\":2}}\n\ndata: [DONE]\n\n");
            } else {
                send(exchange, 200, "application/json", "{\"id\":\"c1\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\","
                        + "\"content\":\"" + ANSWER + "\"},\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":7,\"completion_tokens\":2}}");
            }
        });
    }

    @AfterEach
    void stopProviders() {
        primary.stop(0);
        backup.stop(0);
    }

    @Test
    void langChainAutoGenCrewAIAndNativeAgentsAllFailOverThroughOneRouter(@TempDir Path dir) throws IOException {
        Path config = dir.resolve("providers.yaml");
        Files.writeString(config, """
                providers:
                  primary:
                    type: openai
                    base_url: http://127.0.0.1:%d/v1
                    models: {m: {context_window: 8000}}
                  backup:
                    type: openai
                    base_url: http://127.0.0.1:%d/v1
                    models: {m: {context_window: 8000}}
                policies:
                  failover:
                    strategy: priority
                    targets: [primary/m, backup/m]
                retry: {initial_backoff: 1ms, max_backoff: 5ms, multiplier: 2, jitter: 0}
                """.formatted(primary.getAddress().getPort(), backup.getAddress().getPort()));
        ProviderRouter router = ProvidersConfig.load(config, Map.of(), Clock.systemUTC()).router();
        try (AgentRuntime runtime = SharedPython.runtime(router)) {
            SharedPython.agents().load(SharedPython.example("lcel_chain/agent.py")).forEach(runtime::register);
            SharedPython.agents().load(SharedPython.script("autogen_single.py")).forEach(runtime::register);
            SharedPython.agents().load(SharedPython.script("crewai_single.py")).forEach(runtime::register);
            runtime.register(NativeAgentDefinitions.load(SharedPython.example("native_react/agent.json")));
            for (String agent : runtime.agents().stream().map(a -> a.name()).sorted().toList()) {
                AgentResult r = runtime.run(AgentTask.of(agent, "Say something."));
                assertEquals(RunStatus.COMPLETED, r.status(), () -> agent + ": " + r.error());
                assertTrue(r.output().contains(ANSWER), agent + " answered " + r.output());
                assertEquals(java.util.Set.of("backup"), r.metrics().providers().keySet(), agent + ": " + r.metrics());
            }
        }
        assertTrue(primaryCalls.get() >= 1, "the primary was tried first");
        assertTrue(backupCalls.get() >= 4, "every framework's call reached the backup: " + backupCalls.get());
    }

    private interface Handler {
        void handle(HttpExchange exchange) throws IOException;
    }

    private static HttpServer server(Handler handler) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/v1/chat/completions", exchange -> {
            try (exchange) {
                handler.handle(exchange);
            }
        });
        server.start();
        return server;
    }

    private static void send(HttpExchange exchange, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
