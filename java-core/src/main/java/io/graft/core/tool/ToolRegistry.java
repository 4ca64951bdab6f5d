package io.graft.core.tool;

import io.graft.core.GraftException;
import io.graft.core.model.ToolSpec;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/** The runtime's tools by name. */
public final class ToolRegistry {
    private final Map<String, Tool> tools = new ConcurrentHashMap<>();

    public static ToolRegistry of(Tool... tools) {
        ToolRegistry registry = new ToolRegistry();
        for (Tool t : tools) {
            registry.register(t);
        }
        return registry;
    }

    /** The built-in tools: {@code calculator} and {@code current_time}. */
    public static ToolRegistry builtIns(java.time.Clock clock) {
        return of(new CalculatorTool(), new CurrentTimeTool(clock));
    }

    public ToolRegistry register(Tool tool) {
        Tool previous = tools.putIfAbsent(tool.name(), tool);
        if (previous != null && previous != tool) {
            throw new GraftException("a tool named '" + tool.name() + "' is already registered");
        }
        return this;
    }

    public Optional<Tool> find(String name) {
        return Optional.ofNullable(tools.get(name));
    }

    public Collection<String> names() {
        return new TreeMap<>(tools).keySet();
    }

    /**
     * The tools a task may use: the named ones, or all when {@code names} is empty. An unknown name
     * is an error so a misspelt tool list fails before the run starts.
     */
    public List<Tool> select(List<String> names) {
        if (names.isEmpty()) {
            return List.copyOf(new TreeMap<>(tools).values());
        }
        return names.stream()
                .map(n -> find(n).orElseThrow(() -> new GraftException(
                        "unknown tool '" + n + "' (registered: " + String.join(", ", names()) + ")")))
                .toList();
    }

    public List<ToolSpec> specs(List<String> names) {
        return select(names).stream().map(Tool::spec).toList();
    }
}
