package io.graft.server.http;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.graft.core.Agent;
import io.graft.core.AgentDescriptor;
import io.graft.core.AgentResult;
import io.graft.core.AgentTask;
import io.graft.core.Framework;
import io.graft.core.RunContext;
import io.graft.core.Step;
import io.graft.core.json.Json;
import io.graft.core.model.ChatMessage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * A real Graft server on a loopback port for tests, with the example native ReAct agent in a
 * fresh agents directory, an H2 database and a memory directory in a temporary folder, and a
 * java.net.http client.
 * No Python agent is loaded, so GraalPy never starts.
 */
final class TestServer implements AutoCloseable {
    static final Path ROOT = Path.of("").toAbsolutePath().getParent();
    static final Path EXAMPLE = ROOT.resolve("examples/native_react");

    final Path dir;
    final Path agents;
    final ServerSettings settings;
    final GraftServer server;
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    /** Opened by tests to let {@link GateAgent} runs finish. */
    final CountDownLatch gate = new CountDownLatch(1);
    String key = "";

    TestServer(Path dir) {
        this(dir, s -> s);
    }

    TestServer(Path dir, java.util.function.UnaryOperator<ServerSettings> tweak) {
        this(dir, tweak, Map.of());
    }

    TestServer(Path dir, java.util.function.UnaryOperator<ServerSettings> tweak, Map<String, String> env) {
        this(dir, tweak, env, java.time.Clock.systemUTC());
    }

    /** A server whose runs are dated by {@code clock}. */
    TestServer(Path dir, java.util.function.UnaryOperator<ServerSettings> tweak, Map<String, String> env,
            java.time.Clock clock) {
        this.dir = dir;
        this.agents = dir.resolve("agents");
        try {
            if (!Files.isDirectory(agents)) {
                Files.createDirectories(agents.resolve("native_react"));
                Files.copy(EXAMPLE.resolve("agent.json"), agents.resolve("native_react/agent.json"));
                Files.copy(EXAMPLE.resolve("scripted.json"), agents.resolve("native_react/scripted.json"));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, String> vars = new java.util.HashMap<>(Map.of(
                "GRAFT_PORT", "0",
                "GRAFT_AGENTS_DIR", agents.toString(),
                "GRAFT_MODEL", "scripted:" + EXAMPLE.resolve("scripted.json"),
                "GRAFT_DATABASE_URL", "jdbc:h2:file:" + dir.resolve("db/graft"),
                "GRAFT_MEMORY_DIR", dir.resolve("memory").toString(),
                "GRAFT_ACCESS_LOG", dir.resolve("access.log").toString()));
        vars.putAll(env);
        this.settings = tweak.apply(ServerSettings.load(Optional.empty(), vars, ROOT));
        this.server = GraftServer.start(settings, ROOT, clock);
        server.graft().runtime().register(new GateAgent(gate));
        server.graft().runtime().register(new HistoryAgent());
    }

    TestServer as(String key) {
        this.key = key;
        return this;
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.port() + path);
    }

    HttpRequest.Builder request(String path) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(30));
        if (!key.isEmpty()) {
            b.header("Authorization", "Bearer " + key);
        }
        return b;
    }

    Reply get(String path) {
        return send(request(path).GET().build());
    }

    Reply post(String path, String json) {
        return send(request(path).header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build());
    }

    Reply put(String path, String contentType, String body) {
        return send(request(path).header("Content-Type", contentType).PUT(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    Reply delete(String path) {
        return send(request(path).DELETE().build());
    }

    Reply send(HttpRequest request) {
        try {
            HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
            return new Reply(r.statusCode(), r.headers().firstValue("Content-Type").orElse(""), r.body(), r);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Starts a run and answers its id. */
    String startRun(String agent, String input) {
        Reply r = post("/v1/runs", Json.write(Map.of("agent", agent, "input", input)));
        assertTrue(r.status() == 202, r.body());
        return (String) r.json().get("id");
    }

    Map<String, Object> awaitRun(String id) {
        Map<String, Object>[] last = new Map[1];
        await(() -> {
            last[0] = get("/v1/runs/" + id).json();
            return !"RUNNING".equals(last[0].get("status"));
        });
        return last[0];
    }

    static void await(BooleanSupplier condition) {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("condition not met within 20 s");
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    @Override
    public void close() {
        gate.countDown();
        server.close();
    }

    /** An answer: status, content type, body. */
    record Reply(int status, String contentType, String body, HttpResponse<String> raw) {
        Map<String, Object> json() {
            return Json.readMap(body, "response body");
        }

        @SuppressWarnings("unchecked")
        List<Map<String, Object>> list(String field) {
            return (List<Map<String, Object>>) json().get(field);
        }
    }

    /** A native agent that records a message, then waits for the test to open its gate (or for cancellation). */
    static final class GateAgent implements Agent {
        private final CountDownLatch gate;

        GateAgent(CountDownLatch gate) {
            this.gate = gate;
        }

        @Override
        public AgentDescriptor descriptor() {
            return new AgentDescriptor("gate", Framework.NATIVE, "waits for the test", "java:" + getClass().getName());
        }

        @Override
        public AgentResult execute(AgentTask task, RunContext run) {
            run.recordMessage("gate", ChatMessage.assistant("waiting"));
            try {
                while (!gate.await(5, TimeUnit.MILLISECONDS)) {
                    run.checkActive();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                run.checkActive();
            }
            return AgentResult.completed(task, Framework.NATIVE, "opened: " + task.input(), Map.of(), List.<Step>of());
        }
    }

    /** A native agent that answers with what it remembers of its thread. */
    static final class HistoryAgent implements Agent {
        @Override
        public AgentDescriptor descriptor() {
            return new AgentDescriptor("history", Framework.NATIVE, "repeats its conversation", "java:" + getClass().getName());
        }

        @Override
        public AgentResult execute(AgentTask task, RunContext run) {
            String said = String.join(" | ", task.history().stream().map(m -> m.role().id() + ": " + m.content()).toList());
            return AgentResult.completed(task, Framework.NATIVE, "heard " + task.history().size() + " [" + said + "] now: "
                    + task.input(), Map.of(), List.of());
        }
    }
}
