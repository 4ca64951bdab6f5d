package io.graft.bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A local stand-in for an OpenAI-compatible provider on a loopback socket: answers every chat call
 * after a configurable service time, alternating a calculator tool call and a final answer per
 * conversation turn (it looks for a tool result in the request), in JSON or SSE as asked. It can be
 * switched to fail (HTTP 500), to hang, or be stopped, to simulate an outage.
 */
final class LoopbackProvider implements AutoCloseable {
    enum Mode { HEALTHY, ERRORS, HANG }

    private static final String TOOL_CALL = "{\"model\":\"loop\",\"choices\":[{\"index\":0,\"finish_reason\":\"tool_calls\",\"message\":"
            + "{\"role\":\"assistant\",\"content\":\"\",\"tool_calls\":[{\"id\":\"call_1\",\"type\":\"function\",\"function\":"
            + "{\"name\":\"calculator\",\"arguments\":\"{\\\"expression\\\":\\\"17 * 23 + 4\\\"}\"}}]}}],"
            + "\"usage\":{\"prompt_tokens\":60,\"completion_tokens\":12}}";
    private static final String ANSWER = "{\"model\":\"loop\",\"choices\":[{\"index\":0,\"finish_reason\":\"stop\",\"message\":"
            + "{\"role\":\"assistant\",\"content\":\"17 * 23 + 4 = 395.\"}}],\"usage\":{\"prompt_tokens\":80,\"completion_tokens\":9}}";
    private static final String STREAM_TOOL_CALL = "data: {\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"id\":\"call_1\","
            + "\"function\":{\"name\":\"calculator\",\"arguments\":\"{\\\"expression\\\":\\\"17 * 23 + 4\\\"}\"}}]}}]}\n\n"
            + "data: {\"choices\":[],\"usage\":{\"prompt_tokens\":60,\"completion_tokens\":12}}\n\ndata: [DONE]\n\n";
    private static final String STREAM_ANSWER = "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"17 * 23 + 4 = \"}}]}\n\n"
            + "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"395.\"}}]}\n\n"
            + "data: {\"choices\":[],\"usage\":{\"prompt_tokens\":80,\"completion_tokens\":9}}\n\ndata: [DONE]\n\n";

    private final HttpServer server;
    private final long serviceMillis;
    private final AtomicReference<Mode> mode = new AtomicReference<>(Mode.HEALTHY);
    private final AtomicLong requests = new AtomicLong();
    private final AtomicInteger port = new AtomicInteger();

    LoopbackProvider(long serviceMillis) {
        this.serviceMillis = serviceMillis;
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 512);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", this::handle);
        server.start();
        port.set(server.getAddress().getPort());
    }

    URI base() {
        return URI.create("http://127.0.0.1:" + port.get() + "/v1");
    }

    void mode(Mode m) {
        mode.set(m);
    }

    long requests() {
        return requests.get();
    }

    private void handle(HttpExchange ex) throws IOException {
        String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        requests.incrementAndGet();
        try (ex) {
            if (serviceMillis > 0) {
                Thread.sleep(serviceMillis);
            }
            switch (mode.get()) {
                case ERRORS -> {
                    send(ex, 500, "application/json", "{\"error\":{\"message\":\"upstream down\"}}");
                    return;
                }
                case HANG -> {
                    Thread.sleep(600_000);
                    return;
                }
                default -> { }
            }
            boolean toolResult = body.contains("\"role\":\"tool\"");
            if (body.contains("\"stream\":true")) {
                send(ex, 200, "text/event-stream", toolResult ? STREAM_ANSWER : STREAM_TOOL_CALL);
            } else {
                send(ex, 200, "application/json", toolResult ? ANSWER : TOOL_CALL);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void send(HttpExchange ex, int status, String type, String text) throws IOException {
        byte[] out = text.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", type);
        ex.sendResponseHeaders(status, out.length);
        try (OutputStream os = ex.getResponseBody()) {
            os.write(out);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
