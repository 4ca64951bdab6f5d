package io.graft.core.provider;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A real HTTP server on loopback that answers like an LLM provider, from a queue of scripted
 * replies (then a fallback reply), and records what it received. Replies include faults: error
 * statuses with headers, hangs, slow streams and connections dropped mid-stream.
 */
final class FakeProvider implements AutoCloseable {
    private final HttpServer server;
    private final ConcurrentLinkedQueue<Reply> replies = new ConcurrentLinkedQueue<>();
    private final AtomicReference<Reply> fallback = new AtomicReference<>();
    private final List<Received> received = new CopyOnWriteArrayList<>();

    /** What the server got: path, headers (lower-case names) and the JSON body. */
    record Received(String path, Map<String, List<String>> headers, Map<String, Object> body) {
        String header(String name) {
            List<String> v = headers.get(name);
            return v == null || v.isEmpty() ? "" : v.getFirst();
        }
    }

    /** One scripted reply. */
    sealed interface Reply {}

    record Json(int status, String body, Map<String, String> headers, long delayMillis) implements Reply {}

    /** Server-sent events, one {@code data:} line each, {@code gapMillis} apart; {@code dropAfter} events then the connection breaks. */
    record Sse(List<String> events, long gapMillis, int dropAfter) implements Reply {}

    /** An OpenAI answer sent as JSON or, when the request asks to stream, as SSE chunks. */
    record OpenAiAnswer(String content, List<Map<String, Object>> toolCalls, int in, int out) implements Reply {}

    /** An Anthropic Messages answer sent as JSON or, when the request asks to stream, as SSE events. */
    record AnthropicAnswer(String content, List<Map<String, Object>> toolUses, int in, int out) implements Reply {}

    static Reply json(String body) {
        return new Json(200, body, Map.of(), 0);
    }

    static Reply status(int status, String body, Map<String, String> headers) {
        return new Json(status, body, headers, 0);
    }

    static Reply slow(long delayMillis, String body) {
        return new Json(200, body, Map.of(), delayMillis);
    }

    static Reply sse(List<String> events) {
        return new Sse(events, 0, -1);
    }

    FakeProvider() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", this::handle);
        server.start();
    }

    URI base() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/v1");
    }

    FakeProvider then(Reply... r) {
        replies.addAll(List.of(r));
        return this;
    }

    FakeProvider always(Reply r) {
        fallback.set(r);
        return this;
    }

    List<Received> received() {
        return new ArrayList<>(received);
    }

    int count() {
        return received.size();
    }

    private void handle(HttpExchange ex) throws IOException {
        byte[] in = ex.getRequestBody().readAllBytes();
        Map<String, List<String>> headers = new java.util.HashMap<>();
        ex.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(java.util.Locale.ROOT), v));
        String text = new String(in, StandardCharsets.UTF_8);
        received.add(new Received(ex.getRequestURI().getPath(), headers,
                text.isBlank() ? Map.of() : io.graft.core.json.Json.readMap(text, "request")));
        Reply r = replies.poll();
        if (r == null) {
            r = fallback.get();
        }
        if (r == null) {
            r = status(500, "{\"error\":{\"message\":\"no reply scripted\"}}", Map.of());
        }
        boolean stream = Boolean.TRUE.equals(received.getLast().body().get("stream"));
        if (r instanceof OpenAiAnswer ans) {
            r = stream ? sse(openAiStream(ans)) : json(openAiJson(ans));
        } else if (r instanceof AnthropicAnswer ans) {
            r = stream ? sse(anthropicStream(ans)) : json(anthropicJson(ans));
        }
        try {
            switch (r) {
                case Json j -> {
                    sleep(j.delayMillis());
                    byte[] out = j.body().getBytes(StandardCharsets.UTF_8);
                    ex.getResponseHeaders().add("Content-Type", "application/json");
                    j.headers().forEach((k, v) -> ex.getResponseHeaders().add(k, v));
                    ex.sendResponseHeaders(j.status(), out.length == 0 ? -1 : out.length);
                    try (OutputStream os = ex.getResponseBody()) {
                        os.write(out);
                    }
                }
                case OpenAiAnswer ans -> throw new IllegalStateException("resolved above");
                case AnthropicAnswer ans -> throw new IllegalStateException("resolved above");
                case Sse s -> {
                    ex.getResponseHeaders().add("Content-Type", "text/event-stream");
                    ex.sendResponseHeaders(200, 0);
                    OutputStream os = ex.getResponseBody();
                    for (int i = 0; i < s.events().size(); i++) {
                        if (i == s.dropAfter()) {
                            // Breaks the connection without the closing chunk, as a crashed upstream does.
                            throw new IOException("dropping the connection on purpose");
                        }
                        sleep(s.gapMillis());
                        os.write(("data: " + s.events().get(i) + "\n\n").getBytes(StandardCharsets.UTF_8));
                        os.flush();
                    }
                    os.close();
                }
            }
        } finally {
            ex.close();
        }
    }

    private static void sleep(long millis) {
        if (millis > 0) {
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }

    /** An OpenAI chat-completions answer with text. */
    static String openAiText(String content, int in, int out) {
        return io.graft.core.json.Json.write(Map.of("id", "c1", "model", "fake-model",
                "choices", List.of(Map.of("index", 0, "finish_reason", "stop", "message", Map.of("role", "assistant", "content", content))),
                "usage", Map.of("prompt_tokens", in, "completion_tokens", out)));
    }

    static String openAiJson(OpenAiAnswer a) {
        Map<String, Object> message = new java.util.LinkedHashMap<>();
        message.put("role", "assistant");
        message.put("content", a.content());
        if (!a.toolCalls().isEmpty()) {
            message.put("tool_calls", a.toolCalls());
        }
        return io.graft.core.json.Json.write(Map.of("model", "fake-model", "choices", List.of(Map.of("index", 0,
                "finish_reason", a.toolCalls().isEmpty() ? "stop" : "tool_calls", "message", message)),
                "usage", Map.of("prompt_tokens", a.in(), "completion_tokens", a.out())));
    }

    static List<String> openAiStream(OpenAiAnswer a) {
        List<String> events = new ArrayList<>();
        if (!a.content().isEmpty()) {
            events.add(io.graft.core.json.Json.write(Map.of("choices", List.of(Map.of("index", 0, "delta", Map.of("content", a.content()))))));
        }
        for (int i = 0; i < a.toolCalls().size(); i++) {
            Map<String, Object> call = new java.util.LinkedHashMap<>(a.toolCalls().get(i));
            call.put("index", i);
            events.add(io.graft.core.json.Json.write(Map.of("choices", List.of(Map.of("index", 0, "delta", Map.of("tool_calls", List.of(call)))))));
        }
        events.add(io.graft.core.json.Json.write(Map.of("choices", List.of(),
                "usage", Map.of("prompt_tokens", a.in(), "completion_tokens", a.out()))));
        events.add("[DONE]");
        return events;
    }

    static String anthropicJson(AnthropicAnswer a) {
        List<Map<String, Object>> content = new ArrayList<>();
        if (!a.content().isEmpty()) {
            content.add(Map.of("type", "text", "text", a.content()));
        }
        for (Map<String, Object> t : a.toolUses()) {
            Map<String, Object> block = new java.util.LinkedHashMap<>(t);
            block.put("type", "tool_use");
            content.add(block);
        }
        return io.graft.core.json.Json.write(Map.of("model", "claude-fake", "content", content,
                "stop_reason", a.toolUses().isEmpty() ? "end_turn" : "tool_use",
                "usage", Map.of("input_tokens", a.in(), "output_tokens", a.out())));
    }

    static List<String> anthropicStream(AnthropicAnswer a) {
        List<String> events = new ArrayList<>();
        events.add(io.graft.core.json.Json.write(Map.of("type", "message_start",
                "message", Map.of("model", "claude-fake", "usage", Map.of("input_tokens", a.in(), "output_tokens", 1)))));
        int index = 0;
        if (!a.content().isEmpty()) {
            events.add(io.graft.core.json.Json.write(Map.of("type", "content_block_start", "index", index,
                    "content_block", Map.of("type", "text", "text", ""))));
            for (String piece : a.content().split("(?<= )")) {
                events.add(io.graft.core.json.Json.write(Map.of("type", "content_block_delta", "index", index,
                        "delta", Map.of("type", "text_delta", "text", piece))));
            }
            events.add(io.graft.core.json.Json.write(Map.of("type", "content_block_stop", "index", index)));
            index++;
        }
        for (Map<String, Object> t : a.toolUses()) {
            events.add(io.graft.core.json.Json.write(Map.of("type", "content_block_start", "index", index,
                    "content_block", Map.of("type", "tool_use", "id", t.get("id"), "name", t.get("name"), "input", Map.of()))));
            events.add(io.graft.core.json.Json.write(Map.of("type", "content_block_delta", "index", index,
                    "delta", Map.of("type", "input_json_delta", "partial_json", io.graft.core.json.Json.write(t.get("input"))))));
            events.add(io.graft.core.json.Json.write(Map.of("type", "content_block_stop", "index", index)));
            index++;
        }
        events.add(io.graft.core.json.Json.write(Map.of("type", "message_delta",
                "delta", Map.of("stop_reason", a.toolUses().isEmpty() ? "end_turn" : "tool_use"), "usage", Map.of("output_tokens", a.out()))));
        events.add(io.graft.core.json.Json.write(Map.of("type", "message_stop")));
        return events;
    }

    /** OpenAI stream chunks for {@code pieces}, a usage chunk and {@code [DONE]}. */
    static List<String> openAiStream(List<String> pieces, int in, int out) {
        List<String> events = new ArrayList<>();
        for (String p : pieces) {
            events.add(io.graft.core.json.Json.write(Map.of("model", "fake-model", "choices",
                    List.of(Map.of("index", 0, "delta", Map.of("content", p))))));
        }
        events.add(io.graft.core.json.Json.write(Map.of("model", "fake-model", "choices",
                List.of(Map.of("index", 0, "delta", Map.of(), "finish_reason", "stop")))));
        events.add(io.graft.core.json.Json.write(Map.of("model", "fake-model", "choices", List.of(),
                "usage", Map.of("prompt_tokens", in, "completion_tokens", out))));
        events.add("[DONE]");
        return events;
    }
}
