package io.graft.core.provider;

import com.fasterxml.jackson.databind.JsonNode;
import io.graft.core.json.Json;
import io.graft.core.model.ChatMessage;
import io.graft.core.model.ChatModel;
import io.graft.core.model.ChatRequest;
import io.graft.core.model.ChatResponse;
import io.graft.core.model.Role;
import io.graft.core.model.ToolCall;
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
 * A model behind Anthropic's Messages API. System messages become the {@code system} field, tool
 * results become {@code tool_result} blocks of a user turn (consecutive ones merged, as the API
 * wants strictly alternating roles), and {@code max_tokens}, which the API requires, defaults to
 * the configured value.
 */
public final class AnthropicChatModel implements ChatModel {
    static final String VERSION = "2023-06-01";

    private final ProviderHttp http;
    private final String model;
    private final int maxTokens;

    /** @param maxTokens the {@code max_tokens} sent when a request's options do not set it */
    public AnthropicChatModel(Endpoint endpoint, String model, int maxTokens, Clock clock) {
        this.http = new ProviderHttp(endpoint, clock);
        this.model = io.graft.core.Checks.requireNonBlank(model, "model");
        this.maxTokens = io.graft.core.Checks.requirePositive(maxTokens, "maxTokens");
    }

    public AnthropicChatModel(Endpoint endpoint, String model) {
        this(endpoint, model, 4096, Clock.systemUTC());
    }

    @Override
    public String name() {
        return http.endpoint().name() + "/" + model;
    }

    @Override
    public ChatResponse chat(ChatRequest request) {
        Instant until = http.until(request.scope().deadline());
        return parse(http.postJson(http.request("/messages", headers(), body(request, false), until).build(), until));
    }

    private ChatResponse parse(JsonNode answer) {
        if (!answer.path("content").isArray()) {
            throw http.malformed("answer has no 'content' array: " + http.excerpt(answer.toString()), null);
        }
        List<ToolCall> calls = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        for (JsonNode block : answer.get("content")) {
            switch (block.path("type").asText("")) {
                case "text" -> text.append(block.path("text").asText(""));
                case "tool_use" -> calls.add(new ToolCall(required(block, "id"), required(block, "name"), input(block.path("input"))));
                default -> { } // thinking and future block types carry nothing the SPI has a place for
            }
        }
        JsonNode u = answer.path("usage");
        return new ChatResponse(ChatMessage.assistant(text.toString(), calls),
                new Usage(u.path("input_tokens").asLong(0), u.path("output_tokens").asLong(0)),
                answer.path("model").asText(model), finish(answer.path("stop_reason").asText(""), !calls.isEmpty()));
    }

    @Override
    public ChatResponse stream(ChatRequest request, Consumer<String> onToken) {
        Instant until = http.until(request.scope().deadline());
        StreamState s = new StreamState();
        java.util.Optional<JsonNode> whole;
        try {
            whole = http.stream(http.request("/messages", headers(), body(request, true), until).header("Accept", "text/event-stream").build(),
                    until, data -> s.accept(http.parse(data), onToken));
        } catch (ProviderException e) {
            throw s.emitted ? e.afterTokens() : e;
        }
        if (whole.isPresent()) {
            return OpenAiChatModel.emitWhole(parse(whole.get()), onToken);
        }
        List<ToolCall> calls = new ArrayList<>();
        for (var e : s.tools.entrySet()) {
            String json = s.toolJson.get(e.getKey()).toString();
            Map<String, Object> args;
            try {
                args = json.isBlank() ? Map.of() : Json.readMap(json, "tool input");
            } catch (RuntimeException ex) {
                throw http.malformed("streamed tool input is not a JSON object: " + http.excerpt(json), ex);
            }
            calls.add(new ToolCall(e.getValue()[0], e.getValue()[1], args));
        }
        return new ChatResponse(ChatMessage.assistant(s.text.toString(), calls), new Usage(s.inputTokens, s.outputTokens),
                s.model.isEmpty() ? model : s.model, finish(s.stopReason, !calls.isEmpty()));
    }

    private Map<String, String> headers() {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("anthropic-version", VERSION);
        http.endpoint().apiKey().ifPresent(k -> h.put("x-api-key", k.reveal()));
        return h;
    }

    Map<String, Object> body(ChatRequest request, boolean stream) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("model", model);
        body.put("max_tokens", maxTokens);
        StringBuilder system = new StringBuilder();
        List<Map<String, Object>> messages = new ArrayList<>();
        for (ChatMessage m : request.messages()) {
            if (m.role() == Role.SYSTEM) {
                system.append(system.isEmpty() ? "" : "\n\n").append(m.content());
                continue;
            }
            String role = m.role() == Role.ASSISTANT ? "assistant" : "user";
            List<Map<String, Object>> blocks = new ArrayList<>();
            if (m.role() == Role.TOOL) {
                blocks.add(Map.of("type", "tool_result", "tool_use_id", m.toolCallId(), "content", m.content()));
            } else {
                if (!m.content().isEmpty()) {
                    blocks.add(Map.of("type", "text", "text", m.content()));
                }
                for (ToolCall c : m.toolCalls()) {
                    blocks.add(Map.of("type", "tool_use", "id", c.id(), "name", c.name(), "input", c.arguments()));
                }
            }
            if (!messages.isEmpty() && messages.getLast().get("role").equals(role)) {
                @SuppressWarnings("unchecked")
                List<Map<String, Object>> previous = (List<Map<String, Object>>) messages.getLast().get("content");
                previous.addAll(blocks);
            } else {
                Map<String, Object> msg = new LinkedHashMap<>();
                msg.put("role", role);
                msg.put("content", blocks);
                messages.add(msg);
            }
        }
        if (!system.isEmpty()) {
            body.put("system", system.toString());
        }
        body.put("messages", messages);
        if (!request.tools().isEmpty()) {
            body.put("tools", request.tools().stream().map(t -> Map.of("name", t.name(), "description", t.description(),
                    "input_schema", t.parameters().isEmpty() ? Map.of("type", "object", "properties", Map.of()) : t.parameters())).toList());
        }
        request.options().forEach((k, v) -> body.put(k.equals("stop") ? "stop_sequences" : k, v));
        if (stream) {
            body.put("stream", true);
        }
        return body;
    }

    private static String finish(String stopReason, boolean toolCalls) {
        return switch (stopReason) {
            case "end_turn", "stop_sequence", "" -> toolCalls ? "tool_calls" : "stop";
            case "tool_use" -> "tool_calls";
            case "max_tokens" -> "length";
            default -> stopReason;
        };
    }

    private String required(JsonNode node, String field) {
        String v = node.path(field).asText("");
        if (v.isBlank()) {
            throw http.malformed("a content block has no '" + field + "': " + http.excerpt(node.toString()), null);
        }
        return v;
    }

    private Map<String, Object> input(JsonNode input) {
        if (input.isMissingNode() || input.isNull()) {
            return Map.of();
        }
        if (!input.isObject()) {
            throw http.malformed("tool input is not an object: " + http.excerpt(input.toString()), null);
        }
        return Json.mapper().convertValue(input, Json.mapper().getTypeFactory().constructMapType(Map.class, String.class, Object.class));
    }

    /** Assembles a streamed answer from Messages events. */
    private final class StreamState {
        final StringBuilder text = new StringBuilder();
        final Map<Integer, String[]> tools = new TreeMap<>();
        final Map<Integer, StringBuilder> toolJson = new TreeMap<>();
        String model = "";
        String stopReason = "";
        long inputTokens;
        long outputTokens;
        boolean emitted;

        /** Returns false at {@code message_stop}. */
        boolean accept(JsonNode event, Consumer<String> onToken) {
            switch (event.path("type").asText("")) {
                case "message_start" -> {
                    JsonNode m = event.path("message");
                    model = m.path("model").asText("");
                    inputTokens = m.path("usage").path("input_tokens").asLong(0);
                    outputTokens = m.path("usage").path("output_tokens").asLong(0);
                }
                case "content_block_start" -> {
                    JsonNode b = event.path("content_block");
                    if (b.path("type").asText("").equals("tool_use")) {
                        int index = event.path("index").asInt();
                        tools.put(index, new String[] {required(b, "id"), required(b, "name")});
                        toolJson.put(index, new StringBuilder());
                    }
                }
                case "content_block_delta" -> {
                    JsonNode d = event.path("delta");
                    switch (d.path("type").asText("")) {
                        case "text_delta" -> {
                            String piece = d.path("text").asText("");
                            if (!piece.isEmpty()) {
                                text.append(piece);
                                emitted = true;
                                onToken.accept(piece);
                            }
                        }
                        case "input_json_delta" -> {
                            StringBuilder b = toolJson.get(event.path("index").asInt());
                            if (b == null) {
                                throw http.malformed("input_json_delta for a block that is no tool_use: " + http.excerpt(event.toString()), null);
                            }
                            b.append(d.path("partial_json").asText(""));
                        }
                        default -> { }
                    }
                }
                case "message_delta" -> {
                    stopReason = event.path("delta").path("stop_reason").asText(stopReason);
                    outputTokens = event.path("usage").path("output_tokens").asLong(outputTokens);
                    if (event.path("usage").has("input_tokens")) {
                        inputTokens = event.path("usage").path("input_tokens").asLong(inputTokens);
                    }
                }
                case "message_stop" -> {
                    return false;
                }
                case "error" -> {
                    String type = event.path("error").path("type").asText("");
                    ErrorKind kind = switch (type) {
                        case "rate_limit_error" -> ErrorKind.RATE_LIMITED;
                        case "authentication_error", "permission_error" -> ErrorKind.AUTH;
                        case "invalid_request_error", "not_found_error" -> ErrorKind.BAD_REQUEST;
                        default -> ErrorKind.SERVER_ERROR;
                    };
                    throw ProviderException.of(http.endpoint().name(), kind, "error event in stream: "
                            + http.excerpt(event.path("error").toString()));
                }
                default -> { } // ping, content_block_stop
            }
            return true;
        }
    }
}
