package io.graft.core.json;

import io.graft.core.AgentResult;
import io.graft.core.RunMetrics;
import io.graft.core.Step;
import io.graft.core.model.ChatMessage;
import io.graft.core.model.ToolCall;
import io.graft.core.model.Usage;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/** The public JSON form of results and steps, shared by the CLI and the HTTP API. */
public final class ResultJson {
    private ResultJson() {}

    public static Map<String, Object> result(AgentResult r) {
        return result(r, ResultJson::step);
    }

    /**
     * The result with each step in the form {@code stepForm} gives it: its map, or the JSON it was
     * already written as (a Jackson {@code RawValue}), so a step written once is not written again.
     */
    public static Map<String, Object> result(AgentResult r, Function<Step, Object> stepForm) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("run_id", r.runId());
        out.put("agent", r.agent());
        out.put("framework", r.framework().id());
        out.put("status", r.status().name());
        out.put("output", r.output());
        out.put("structured_output", r.structuredOutput());
        out.put("steps", r.steps().stream().map(stepForm).toList());
        out.put("error", r.error().map(e -> {
            Map<String, Object> err = new LinkedHashMap<>();
            err.put("type", e.type());
            err.put("message", e.message());
            err.put("traceback", e.traceback());
            return err;
        }).orElse(null));
        out.put("metrics", metrics(r.metrics()));
        return out;
    }

    public static Map<String, Object> metrics(RunMetrics m) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("wall_time_ms", millis(m.wallTime()));
        out.put("llm_calls", m.llmCalls());
        out.put("tool_calls", m.toolCalls());
        out.put("input_tokens", m.inputTokens());
        out.put("output_tokens", m.outputTokens());
        out.put("total_tokens", m.totalTokens());
        out.put("cost_usd", m.costUsd());
        Map<String, Object> providers = new LinkedHashMap<>();
        m.providers().entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> providers.put(e.getKey(), Map.of(
                "llm_calls", e.getValue().calls(), "input_tokens", e.getValue().inputTokens(),
                "output_tokens", e.getValue().outputTokens(), "cost_usd", e.getValue().costUsd())));
        out.put("providers", providers);
        return out;
    }

    public static Map<String, Object> step(Step step) {
        Map<String, Object> out = new LinkedHashMap<>();
        switch (step) {
            case Step.LlmCall c -> {
                out.put("type", "llm_call");
                out.put("agent", c.agent());
                out.put("model", c.model());
                out.put("message", message(c.response()));
                out.put("usage", usage(c.usage()));
                out.put("finish_reason", c.finishReason());
                out.put("latency_ms", millis(c.latency()));
            }
            case Step.ToolExecution t -> {
                out.put("type", "tool_call");
                out.put("agent", t.agent());
                out.put("call", toolCall(t.call()));
                out.put("result", t.result());
                out.put("error", t.error());
                out.put("latency_ms", millis(t.latency()));
            }
            case Step.Message m -> {
                out.put("type", "message");
                out.put("agent", m.agent());
                out.put("message", message(m.message()));
            }
        }
        return out;
    }

    public static Map<String, Object> message(ChatMessage m) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("role", m.role().id());
        out.put("content", m.content());
        if (!m.toolCalls().isEmpty()) {
            out.put("tool_calls", m.toolCalls().stream().map(ResultJson::toolCall).toList());
        }
        if (!m.toolCallId().isEmpty()) {
            out.put("tool_call_id", m.toolCallId());
        }
        if (!m.name().isEmpty()) {
            out.put("name", m.name());
        }
        return out;
    }

    public static Map<String, Object> toolCall(ToolCall c) {
        return Map.of("id", c.id(), "name", c.name(), "args", c.arguments());
    }

    private static Map<String, Object> usage(Usage u) {
        return Map.of("input_tokens", u.inputTokens(), "output_tokens", u.outputTokens());
    }

    private static double millis(Duration d) {
        return d.toNanos() / 1_000_000.0;
    }

}
