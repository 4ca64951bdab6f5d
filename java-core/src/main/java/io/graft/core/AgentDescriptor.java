package io.graft.core;

import static io.graft.core.Checks.requireNonBlank;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What the runtime knows about an agent without running it.
 *
 * @param name unique name the agent is registered under
 * @param framework what implements it
 * @param description one line for listings; may be empty
 * @param source where it was defined: a script path, or {@code java:<class>} for native agents
 * @param inputSchema JSON Schema (as parsed JSON) of what a run gives the agent: the task text {@code input}
 *     and the structured {@code inputs} it reads; empty when the agent does not say
 */
public record AgentDescriptor(String name, Framework framework, String description, String source,
                              Map<String, Object> inputSchema) {
    public AgentDescriptor {
        requireNonBlank(name, "agent name");
        Objects.requireNonNull(framework, "framework");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(source, "source");
        // Not Map.copyOf: a JSON Schema may hold nulls ("default": null) and its key order is part of how it reads.
        inputSchema = Collections.unmodifiableMap(new LinkedHashMap<>(inputSchema));
    }

    /** An agent that does not describe its input. */
    public AgentDescriptor(String name, Framework framework, String description, String source) {
        this(name, framework, description, source, Map.of());
    }

    /**
     * The input schema of an agent that reads only the task text, as native ReAct agents and
     * workflows do: {@code {"type": "object", "properties": {"input": {"type": "string"}}}}.
     */
    public static Map<String, Object> textInputSchema() {
        return TEXT_INPUT;
    }

    private static final Map<String, Object> TEXT_INPUT = textInput();

    private static Map<String, Object> textInput() {
        // Ordered as JSON Schema is usually read: type first.
        Map<String, Object> input = new LinkedHashMap<>();
        input.put("type", "string");
        input.put("description", "the task text");
        Map<String, Object> schema = new LinkedHashMap<>();
        schema.put("type", "object");
        schema.put("properties", Collections.unmodifiableMap(new LinkedHashMap<>(Map.of("input",
                Collections.unmodifiableMap(input)))));
        return Collections.unmodifiableMap(schema);
    }
}
