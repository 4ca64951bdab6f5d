package io.graft.core.workflow;

import io.graft.core.AgentDefinitionException;
import io.graft.core.AgentDescriptor;
import io.graft.core.AgentRuntime;
import io.graft.core.Framework;
import io.graft.core.GraftException;
import io.graft.core.json.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads workflow definitions, JSON such as
 * {@code {"type": "workflow", "name": "review", "pattern": "pipeline", "agents": ["writer", "editor"]}}.
 * Patterns and their fields: {@code pipeline} (agents), {@code parallel} (agents, aggregator
 * {@code majority} or {@code judge} with judge), {@code debate} (agents, rounds, moderator),
 * {@code supervisor} (router, agents, max_turns). Every error names the field.
 */
public final class WorkflowDefinitions {
    public static final String TYPE = "workflow";
    private static final Set<String> COMMON = Set.of("type", "name", "description", "pattern");
    private static final Map<String, Set<String>> FIELDS = Map.of(
            "pipeline", Set.of("agents"),
            "parallel", Set.of("agents", "aggregator", "judge"),
            "debate", Set.of("agents", "rounds", "moderator"),
            "supervisor", Set.of("agents", "router", "max_turns"));

    private WorkflowDefinitions() {}

    /** Whether a JSON definition file declares {@code "type": "workflow"}. */
    public static boolean isWorkflow(Path file) {
        try {
            return TYPE.equals(Json.readMap(Files.readString(file), file.toString()).get("type"));
        } catch (IOException | GraftException e) {
            return false; // the regular loader reports what is wrong with the file
        }
    }

    public static WorkflowAgent load(Path file, AgentRuntime runtime, Clock clock) {
        String source = file.toString();
        Map<String, Object> raw;
        try {
            raw = Json.readMap(Files.readString(file), source);
        } catch (IOException e) {
            throw new AgentDefinitionException(source, "cannot read: " + e.getMessage());
        } catch (GraftException e) {
            throw new AgentDefinitionException(source, e.getMessage());
        }
        return define(raw, source, runtime, clock);
    }

    /** Builds the workflow a parsed definition describes; {@code source} names it in errors. */
    public static WorkflowAgent define(Map<String, Object> raw, String source, AgentRuntime runtime, Clock clock) {
        String pattern = string(raw, "pattern", source);
        Set<String> allowed = FIELDS.get(pattern);
        if (allowed == null) {
            throw new AgentDefinitionException(source, "field 'pattern' must be one of " + new TreeSet<>(FIELDS.keySet())
                    + ", was '" + pattern + "'");
        }
        for (String key : raw.keySet()) {
            if (!COMMON.contains(key) && !allowed.contains(key)) {
                Set<String> expected = new TreeSet<>(COMMON);
                expected.addAll(allowed);
                throw new AgentDefinitionException(source, "unknown field '" + key + "' for a " + pattern + " workflow, expected one of "
                        + expected);
            }
        }
        String name = string(raw, "name", source);
        if (name.isBlank()) {
            throw new AgentDefinitionException(source, "field 'name' is required");
        }
        List<String> agents = names(raw, source);
        Workflow workflow;
        try {
            workflow = switch (pattern) {
                case "pipeline" -> new Workflow.Pipeline(agents);
                case "parallel" -> {
                    String aggregator = raw.containsKey("aggregator") ? string(raw, "aggregator", source) : "majority";
                    yield switch (aggregator) {
                        case "majority" -> new Workflow.Parallel(agents, new Workflow.Aggregator.MajorityVote());
                        case "judge" -> new Workflow.Parallel(agents, new Workflow.Aggregator.Judge(string(raw, "judge", source)));
                        default -> throw new AgentDefinitionException(source, "field 'aggregator' must be 'majority' or 'judge', was '"
                                + aggregator + "'");
                    };
                }
                case "debate" -> new Workflow.Debate(agents, positive(raw, "rounds", 2, source), string(raw, "moderator", source));
                default -> new Workflow.Supervisor(string(raw, "router", source), agents, positive(raw, "max_turns", 5, source));
            };
        } catch (AgentDefinitionException e) {
            throw e;
        } catch (GraftException e) {
            throw new AgentDefinitionException(source, e.getMessage());
        }
        if (workflow.agents().contains(name)) {
            throw new AgentDefinitionException(source, "workflow '" + name + "' must not call itself");
        }
        List<String> cycle = cycle(name, workflow, runtime, new ArrayList<>(List.of(name)));
        if (!cycle.isEmpty()) {
            throw new AgentDefinitionException(source, "workflow '" + name + "' would call itself through "
                    + String.join(" -> ", cycle) + "; a workflow may call other workflows, but never back to itself");
        }
        String description = raw.containsKey("description") ? string(raw, "description", source)
                : pattern + " workflow of " + String.join(", ", workflow.agents());
        return new WorkflowAgent(new AgentDescriptor(name, Framework.NATIVE, description, source,
                AgentDescriptor.textInputSchema()), workflow, runtime, clock);
    }

    /**
     * The path by which {@code workflow} (named {@code name}) reaches itself through the workflows
     * registered now, such as {@code [a, b, a]}; empty when it does not. {@code path} is the walk so
     * far. Agents not registered yet are not followed: a run checks again (see WorkflowAgent).
     */
    private static List<String> cycle(String name, Workflow workflow, AgentRuntime runtime, List<String> path) {
        for (String step : new LinkedHashSet<>(workflow.agents())) {
            if (step.equals(name)) {
                List<String> found = new ArrayList<>(path);
                found.add(step);
                return found;
            }
            if (path.contains(step)) {
                continue; // a cycle among other workflows: their own runs report it
            }
            if (runtime.find(step).orElse(null) instanceof WorkflowAgent inner) {
                path.add(step);
                List<String> found = cycle(name, inner.workflow(), runtime, path);
                if (!found.isEmpty()) {
                    return found;
                }
                path.removeLast();
            }
        }
        return List.of();
    }

    private static String string(Map<String, Object> raw, String key, String source) {
        Object v = raw.get(key);
        if (v == null) {
            throw new AgentDefinitionException(source, "field '" + key + "' is required");
        }
        if (!(v instanceof String s)) {
            throw new AgentDefinitionException(source, "field '" + key + "' must be a string, was " + v);
        }
        return s;
    }

    private static List<String> names(Map<String, Object> raw, String source) {
        Object v = raw.get("agents");
        if (!(v instanceof List<?> list) || list.isEmpty() || !list.stream().allMatch(x -> x instanceof String s && !s.isBlank())) {
            throw new AgentDefinitionException(source, "field 'agents' must be a non-empty list of agent names, was " + v);
        }
        return list.stream().map(String.class::cast).toList();
    }

    private static int positive(Map<String, Object> raw, String key, int fallback, String source) {
        Object v = raw.getOrDefault(key, fallback);
        if (!(v instanceof Integer i) || i <= 0) {
            throw new AgentDefinitionException(source, "field '" + key + "' must be a positive integer, was " + v);
        }
        return i;
    }
}
