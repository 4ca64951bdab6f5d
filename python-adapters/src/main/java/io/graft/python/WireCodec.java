package io.graft.python;

import io.graft.core.GraftException;
import io.graft.core.json.Json;
import io.graft.core.model.ChatMessage;
import io.graft.core.model.ChatRequest;
import io.graft.core.model.ChatResponse;
import io.graft.core.model.Role;
import io.graft.core.model.ToolCall;
import io.graft.core.model.ToolSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The JSON forms in which messages, model calls and tool calls cross between Java and Python. */
final class WireCodec {
    private WireCodec() {}

    static ChatRequest request(String json) {
        Map<String, Object> raw = Json.readMap(json, "chat request from Python");
        List<ChatMessage> messages = list(raw.get("messages")).stream().map(m -> message(map(m))).toList();
        List<ToolSpec> tools = list(raw.get("tools")).stream().map(t -> {
            Map<String, Object> spec = map(t);
            return new ToolSpec(string(spec.get("name")), string(spec.get("description")), map(spec.get("parameters")));
        }).toList();
        return new ChatRequest(messages, tools, map(raw.get("options")), "");
    }

    static ChatMessage message(Map<String, Object> m) {
        List<ToolCall> calls = list(m.get("tool_calls")).stream().map(c -> toolCall(map(c))).toList();
        return new ChatMessage(Role.fromId(string(m.get("role"))), string(m.get("content")), calls,
                string(m.get("tool_call_id")), string(m.get("name")));
    }

    static ToolCall toolCall(Map<String, Object> c) {
        String id = string(c.get("id"));
        return new ToolCall(id.isEmpty() ? "call_" + Integer.toHexString(System.identityHashCode(c)) : id,
                string(c.get("name")), map(c.get("args")));
    }

    static Map<String, Object> response(ChatResponse r) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("content", r.message().content());
        out.put("tool_calls", r.message().toolCalls().stream().map(WireCodec::toolCall).toList());
        out.put("usage", Map.of("input_tokens", r.usage().inputTokens(), "output_tokens", r.usage().outputTokens()));
        out.put("model", r.model());
        out.put("finish_reason", r.finishReason());
        return out;
    }

    static Map<String, Object> toolCall(ToolCall c) {
        return Map.of("id", c.id(), "name", c.name(), "args", c.arguments());
    }

    static Map<String, Object> spec(ToolSpec s) {
        return Map.of("name", s.name(), "description", s.description(), "parameters", s.parameters());
    }

    static Map<String, Object> message(ChatMessage m) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("role", m.role().id());
        out.put("content", m.content());
        out.put("tool_calls", m.toolCalls().stream().map(WireCodec::toolCall).toList());
        out.put("tool_call_id", m.toolCallId());
        out.put("name", m.name());
        return out;
    }

    static String error(String type, String message) {
        return Json.write(Map.of("error", Map.of("type", type, "message", message)));
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object o) {
        if (o == null) {
            return Map.of();
        }
        if (o instanceof Map<?, ?> m) {
            return (Map<String, Object>) m;
        }
        throw new GraftException("expected a JSON object, got " + o);
    }

    static List<Object> list(Object o) {
        if (o == null) {
            return List.of();
        }
        if (o instanceof List<?> l) {
            return new ArrayList<>(l);
        }
        throw new GraftException("expected a JSON array, got " + o);
    }

    static String string(Object o) {
        return o == null ? "" : o.toString();
    }
}
