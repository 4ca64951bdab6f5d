package io.graft.core;

import static io.graft.core.Checks.requireNonBlank;

import io.graft.core.model.ChatMessage;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * One unit of work for an agent.
 *
 * @param id unique id of the run this task starts
 * @param agent name of the agent to run
 * @param input the task text
 * @param inputs structured inputs (for CrewAI kickoff inputs, prompt variables, graph state keys)
 * @param history the conversation before this task, oldest first (a thread's earlier turns)
 * @param tools names of the runtime tools the agent may use; empty means all registered tools
 * @param memoryNamespace where the agent's memory lives; empty for none
 * @param timeout how long the run may take; the deadline is fixed when the run starts
 * @param metadata free-form labels carried through to the result and events
 */
public record AgentTask(
        String id,
        String agent,
        String input,
        Map<String, Object> inputs,
        List<ChatMessage> history,
        List<String> tools,
        String memoryNamespace,
        Duration timeout,
        Map<String, String> metadata) {

    /** Used when a task does not say: generous for LLM-backed agents, short enough to free stuck runs. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(2);

    public AgentTask {
        requireNonBlank(id, "task id");
        requireNonBlank(agent, "agent name");
        Objects.requireNonNull(input, "input");
        inputs = Map.copyOf(inputs);
        history = List.copyOf(history);
        tools = List.copyOf(tools);
        Objects.requireNonNull(memoryNamespace, "memoryNamespace");
        Checks.requirePositive(timeout, "timeout");
        metadata = Map.copyOf(metadata);
    }

    /** A task with a fresh id, no structured inputs or history, and the default timeout. */
    public static AgentTask of(String agent, String input) {
        return new AgentTask(UUID.randomUUID().toString(), agent, input, Map.of(), List.of(), List.of(), "",
                DEFAULT_TIMEOUT, Map.of());
    }

    public AgentTask withTimeout(Duration timeout) {
        return new AgentTask(id, agent, input, inputs, history, tools, memoryNamespace, timeout, metadata);
    }

    public AgentTask withInputs(Map<String, Object> inputs) {
        return new AgentTask(id, agent, input, inputs, history, tools, memoryNamespace, timeout, metadata);
    }

    public AgentTask withHistory(List<ChatMessage> history) {
        return new AgentTask(id, agent, input, inputs, history, tools, memoryNamespace, timeout, metadata);
    }

    public AgentTask withMetadata(Map<String, String> metadata) {
        return new AgentTask(id, agent, input, inputs, history, tools, memoryNamespace, timeout, metadata);
    }

    public AgentTask withId(String id) {
        return new AgentTask(id, agent, input, inputs, history, tools, memoryNamespace, timeout, metadata);
    }

    public Optional<String> memory() {
        return memoryNamespace.isEmpty() ? Optional.empty() : Optional.of(memoryNamespace);
    }

    /** The deadline of a run of this task that starts at {@code start}. */
    public Instant deadlineFrom(Instant start) {
        return start.plus(timeout);
    }
}
