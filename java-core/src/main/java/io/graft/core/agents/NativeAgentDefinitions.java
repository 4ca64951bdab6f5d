package io.graft.core.agents;

import io.graft.core.Agent;
import io.graft.core.AgentDefinitionException;
import io.graft.core.AgentDescriptor;
import io.graft.core.Framework;
import io.graft.core.json.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads native agent definitions: a JSON file such as
 * {@code {"type": "react", "name": "...", "system_prompt": "...", "max_steps": 5, "tools": ["calculator"]}}.
 */
public final class NativeAgentDefinitions {
    private static final Set<String> FIELDS = Set.of("type", "name", "description", "system_prompt", "max_steps", "tools");

    private NativeAgentDefinitions() {}

    public static Agent load(Path file) {
        String source = file.toString();
        Map<String, Object> raw;
        try {
            raw = Json.readMap(Files.readString(file), source);
        } catch (IOException e) {
            throw new AgentDefinitionException(source, "cannot read: " + e.getMessage());
        } catch (RuntimeException e) {
            throw new AgentDefinitionException(source, e.getMessage());
        }
        for (String key : raw.keySet()) {
            if (!FIELDS.contains(key)) {
                throw new AgentDefinitionException(source, "unknown field '" + key + "', expected one of " + FIELDS);
            }
        }
        String type = string(raw, "type", source, "react");
        if (!type.equals("react")) {
            throw new AgentDefinitionException(source, "unknown native agent type '" + type + "', expected 'react'");
        }
        String name = string(raw, "name", source, "");
        if (name.isBlank()) {
            throw new AgentDefinitionException(source, "field 'name' is required");
        }
        Object steps = raw.getOrDefault("max_steps", 8);
        if (!(steps instanceof Integer maxSteps) || maxSteps <= 0) {
            throw new AgentDefinitionException(source, "field 'max_steps' must be a positive integer, was " + steps);
        }
        Object tools = raw.getOrDefault("tools", List.of());
        if (!(tools instanceof List<?> toolList) || !toolList.stream().allMatch(String.class::isInstance)) {
            throw new AgentDefinitionException(source, "field 'tools' must be a list of tool names, was " + tools);
        }
        AgentDescriptor descriptor = new AgentDescriptor(name, Framework.NATIVE, string(raw, "description", source, ""), source,
                AgentDescriptor.textInputSchema());
        return new ReActAgent(descriptor, string(raw, "system_prompt", source, ""), maxSteps,
                toolList.stream().map(String.class::cast).toList());
    }

    private static String string(Map<String, Object> raw, String key, String source, String fallback) {
        Object v = raw.getOrDefault(key, fallback);
        if (!(v instanceof String s)) {
            throw new AgentDefinitionException(source, "field '" + key + "' must be a string, was " + v);
        }
        return s;
    }
}
