package io.graft.core.provider;

import com.fasterxml.jackson.databind.JsonNode;
import io.graft.core.json.Json;
import io.graft.core.model.ChatMessage;
import io.graft.core.model.ChatModel;
import io.graft.core.model.ChatRequest;
import io.graft.core.model.ChatResponse;
import io.graft.core.model.Role;
import io.graft.core.model.ToolCall;
import io.graft.core.model.ToolSpec;
import io.graft.core.model.Usage;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * A model behind the OpenAI chat-completions API: OpenAI itself and the servers that speak it
 * (vLLM, llama.cpp server, Ollama, LM Studio). Tool calls go both ways, usage is read from the
 * answer (streams ask for it with {@code stream_options.include_usage}).
 */
public final class OpenAiChatModel implements ChatModel {
    private final ProviderHttp http;
    private final String model;

    /** @param model the model id sent on the wire, e.g. {@code gpt-4o-mini} or {@code llama3.1:8b} */
    public OpenAiChatModel(Endpoint endpoint, String model, Clock clock) {
        this.http = new ProviderHttp(endpoint, clock);
        this.model = io.graft.core.Checks.requireNonBlank(model, "model");
    }

    public OpenAiChatModel(Endpoint endpoint, String model) {
        this(endpoint, model, Clock.systemUTC());
    }

    @Override
    public String name() {
        return http.endpoint().name() + "/" + model;
    }

    @Override
    public ChatResponse chat(ChatRequest request) {
        Instant until = http.until(request.scope().deadline());
        JsonNode answer = http.postJson(http.request("/chat/completions", auth(), body(request, false), until).build(), until);
        return parse(answer);
    }

    @Override
    public ChatResponse stream(ChatRequest request, Consumer<String> onToken) {
        Instant until = http.until(request.scope().deadline());
        StreamState state = new StreamState();
        java.util.Optional<JsonNode> whole;
        try {
            whole = http.stream(http.request("/chat/completions", auth(), body(request, true), until).header("Accept", "text/event-stream").build(),
                    until, data -> {
                        if (data.equals("[DONE]")) {
                            return false;
                        }
                        state.accept(http.parse(data), onToken);
                        return true;
                    });
        } catch (ProviderException e) {
            throw state.emitted ? e.afterTokens() : e;
        }
        if (whole.isPresent()) {
            return emitWhole(parse(whole.get()), onToken);
        }
        return state.response(model);
    }

    /** A server that ignored {@code stream: true}: its whole text is one token. */
    static ChatResponse emitWhole(ChatResponse r, Consumer<String> onToken) {
        if (!r.message().content().isEmpty()) {
            onToken.accept(r.message().content());
        }
        return r;
    }

    private Map<String, String> auth() {
        return http.endpoint().apiKey().map(k -> Map.of("Authorization", "Bearer " + k.reveal())).orElse(Map.of());
    }

    Map<String, Object> body(ChatRequest request, boolean stream) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("model", model);
        body.put("messages", request.messages().stream().map(OpenAiChatModel::message).toList());
        if (!request.tools().isEmpty()) {
            body.put("tools", request.tools().stream().map(OpenAiChatModel::tool).toList());
        }
        body.putAll(request.options());
        body.put("stream", stream);
        if (stream) {
            body.put("stream_options", Map.of("include_usage", true));
        }
        return body;
    }

    private static Map<String, Object> message(ChatMessage m) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("role", m.role().id());
        out.put("content", m.content());
        if (!m.toolCalls().isEmpty()) {
            out.put("tool_calls", m.toolCalls().stream().map(c -> Map.of("id", c.id(), "type", "function",
                    "function", Map.of("name", c.name(), "arguments", Json.write(c.arguments())))).toList());
        }
        if (m.role() == Role.TOOL) {
            out.put("tool_call_id", m.toolCallId());
        } else if (!m.name().isEmpty() && m.role() != Role.ASSISTANT) {
            out.put("name", m.name());
        }
        return out;
    }

    private static Map<String, Object> tool(ToolSpec t) {
        return Map.of("type", "function", "function", Map.of("name", t.name(), "description", t.description(),
                "parameters", t.parameters().isEmpty() ? Map.of("type", "object", "properties", Map.of()) : t.parameters()));
    }

    private ChatResponse parse(JsonNode answer) {
        JsonNode choice = answer.path("choices").path(0);
        JsonNode message = choice.path("message");
        if (!message.isObject()) {
            throw http.malformed("answer has no choices[0].message: " + http.excerpt(answer.toString()), null);
        }
        List<ToolCall> calls = new ArrayList<>();
        for (JsonNode c : message.path("tool_calls")) {
            calls.add(new ToolCall(text(c, "id", "call_" + calls.size()), required(c.path("function"), "name"),
                    arguments(c.path("function").path("arguments").asText(""))));
        }
        String finish = choice.path("finish_reason").asText(calls.isEmpty() ? "stop" : "tool_calls");
        return new ChatResponse(ChatMessage.assistant(message.path("content").asText(""), calls), usage(answer.path("usage")),
                answer.path("model").asText(model), finish);
    }

    private static Usage usage(JsonNode u) {
        return new Usage(Math.max(0, u.path("prompt_tokens").asLong(0)), Math.max(0, u.path("completion_tokens").asLong(0)));
    }

    private String required(JsonNode node, String field) {
        String v = node.path(field).asText("");
        if (v.isBlank()) {
            throw http.malformed("a tool call has no '" + field + "': " + http.excerpt(node.toString()), null);
        }
        return v;
    }

    private static String text(JsonNode node, String field, String fallback) {
        String v = node.path(field).asText("");
        return v.isBlank() ? fallback : v;
    }

    /** Tool arguments arrive as a JSON string; an empty one means no arguments. */
    private Map<String, Object> arguments(String json) {
        if (json.isBlank()) {
            return Map.of();
        }
        try {
            return Json.readMap(json, "tool call arguments");
        } catch (RuntimeException e) {
            throw http.malformed("tool call arguments are not a JSON object: " + http.excerpt(json), e);
        }
    }

    /** Assembles a streamed answer from its chunks; tool calls arrive in pieces keyed by index. */
    private final class StreamState {
        final StringBuilder content = new StringBuilder();
        final Map<Integer, String[]> calls = new TreeMap<>();
        final Map<Integer, StringBuilder> args = new TreeMap<>();
        String finish = "";
        String servedModel = "";
        Usage usage = Usage.ZERO;
        boolean emitted;

        void accept(JsonNode chunk, Consumer<String> onToken) {
            if (chunk.has("error")) {
                throw ProviderException.of(http.endpoint().name(), ErrorKind.SERVER_ERROR,
                        "error event in stream: " + http.excerpt(chunk.path("error").toString()));
            }
            if (servedModel.isEmpty()) {
                servedModel = chunk.path("model").asText("");
            }
            if (chunk.path("usage").isObject()) {
                usage = usage(chunk.path("usage"));
            }
            JsonNode choice = chunk.path("choices").path(0);
            if (choice.isMissingNode()) {
                return;
            }
            JsonNode delta = choice.path("delta");
            String piece = delta.path("content").asText("");
            if (!piece.isEmpty()) {
                content.append(piece);
                emitted = true;
                onToken.accept(piece);
            }
            for (JsonNode c : delta.path("tool_calls")) {
                int index = c.path("index").asInt(calls.size());
                String[] idName = calls.computeIfAbsent(index, i -> new String[] {"", ""});
                if (c.hasNonNull("id")) {
                    idName[0] = c.get("id").asText();
                }
                if (c.path("function").hasNonNull("name")) {
                    idName[1] = idName[1] + c.path("function").get("name").asText();
                }
                args.computeIfAbsent(index, i -> new StringBuilder()).append(c.path("function").path("arguments").asText(""));
            }
            if (choice.hasNonNull("finish_reason")) {
                finish = choice.get("finish_reason").asText();
            }
        }

        ChatResponse response(String fallbackModel) {
            List<ToolCall> toolCalls = new ArrayList<>();
            for (var e : calls.entrySet()) {
                String[] idName = e.getValue();
                if (idName[1].isBlank()) {
                    throw http.malformed("a streamed tool call has no name", null);
                }
                toolCalls.add(new ToolCall(idName[0].isBlank() ? "call_" + e.getKey() : idName[0], idName[1],
                        arguments(args.get(e.getKey()).toString())));
            }
            String reason = finish.isEmpty() ? (toolCalls.isEmpty() ? "stop" : "tool_calls") : finish;
            return new ChatResponse(ChatMessage.assistant(content.toString(), toolCalls), usage,
                    servedModel.isEmpty() ? fallbackModel : servedModel, reason);
        }
    }
}
