package io.graft.core.model;

import static io.graft.core.Checks.requireNonBlank;

import java.util.Map;

/** A model's request to call a tool. */
public record ToolCall(String id, String name, Map<String, Object> arguments) {
    public ToolCall {
        requireNonBlank(id, "tool call id");
        requireNonBlank(name, "tool name");
        arguments = Map.copyOf(arguments);
    }
}
