package io.graft.core;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The outcome of one run.
 *
 * @param runId the task id the run was started with
 * @param agent the agent that ran
 * @param framework what implements that agent
 * @param status how the run ended
 * @param output the final answer as text; empty when the run did not complete
 * @param structuredOutput the final answer as data where the agent returned some (a dict, a graph state)
 * @param steps LLM calls, tool executions and messages, in order
 * @param error why the run did not complete; absent when it did
 * @param metrics wall time, model calls and tokens
 */
public record AgentResult(
        String runId,
        String agent,
        Framework framework,
        RunStatus status,
        String output,
        Map<String, Object> structuredOutput,
        List<Step> steps,
        Optional<AgentError> error,
        RunMetrics metrics) {

    public AgentResult {
        Objects.requireNonNull(runId, "runId");
        Objects.requireNonNull(agent, "agent");
        Objects.requireNonNull(framework, "framework");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(output, "output");
        // JSON null is a value an agent may return ({"found": None}); Map.copyOf would refuse it.
        structuredOutput = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(structuredOutput));
        steps = List.copyOf(steps);
        Objects.requireNonNull(error, "error");
        Objects.requireNonNull(metrics, "metrics");
    }

    public boolean completed() {
        return status == RunStatus.COMPLETED;
    }

    /** A completed result's fields; the runtime fills in steps and metrics it recorded. */
    public static AgentResult completed(AgentTask task, Framework framework, String output, Map<String, Object> structured,
            List<Step> steps) {
        return new AgentResult(task.id(), task.agent(), framework, RunStatus.COMPLETED, output, structured, steps,
                Optional.empty(), RunMetrics.EMPTY);
    }

    public static AgentResult failed(AgentTask task, Framework framework, RunStatus status, AgentError error, List<Step> steps) {
        return new AgentResult(task.id(), task.agent(), framework, status, "", Map.of(), steps, Optional.of(error),
                RunMetrics.EMPTY);
    }

    public AgentResult withMetrics(RunMetrics metrics) {
        return new AgentResult(runId, agent, framework, status, output, structuredOutput, steps, error, metrics);
    }

    public AgentResult withSteps(List<Step> steps) {
        return new AgentResult(runId, agent, framework, status, output, structuredOutput, steps, error, metrics);
    }
}
