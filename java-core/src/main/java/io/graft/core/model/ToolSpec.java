package io.graft.core.model;

import static io.graft.core.Checks.requireNonBlank;

import java.util.Map;
import java.util.Objects;

/**
 * What a model is told about a tool it may call.
 *
 * @param parameters a JSON Schema object describing the arguments
 */
public record ToolSpec(String name, String description, Map<String, Object> parameters) {
    public ToolSpec {
        requireNonBlank(name, "tool name");
        Objects.requireNonNull(description, "description");
        parameters = Map.copyOf(parameters);
    }
}
