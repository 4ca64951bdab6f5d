package io.graft.core.json;

import com.fasterxml.jackson.core.JsonGenerator;
import io.graft.core.AgentResult;
import io.graft.core.RunMetrics;
import io.graft.core.Step;
import io.graft.core.model.ChatMessage;
import io.graft.core.model.ToolCall;
import io.graft.core.model.Usage;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The public JSON form of results and steps, shared by the CLI and the HTTP API.
 *
 * <p>Written straight to Jackson's streaming generator: the server writes a dozen steps and
 * events per run, and building a map for each and handing it to the mapper made JSON a tenth of its
 * CPU under load.
 */
public final class ResultJson {
    private ResultJson() {}

    public static String result(AgentResult r) {
        return result(r, s -> null);
    }

    /**
     * The result, with each step either as {@code written} already has it (its JSON text, put in
     * as it is, so a step written once is not written again) or, where that is null, written here.
     */
    public static String result(AgentResult r, Function<Step, @Nullable String> written) {
        return Json.text(g -> {
            g.writeStartObject();
            g.writeStringField("run_id", r.runId());
            g.writeStringField("agent", r.agent());
            g.writeStringField("framework", r.framework().id());
            g.writeStringField("status", r.status().name());
            g.writeStringField("output", r.output());
            g.writeFieldName("structured_output");
            object(g, r.structuredOutput());
            g.writeArrayFieldStart("steps");
            for (Step s : r.steps()) {
                String text = written.apply(s);
                if (text == null) {
                    step(g, s, null);
                } else {
                    g.writeRawValue(text);
                }
            }
            g.writeEndArray();
            if (r.error().isPresent()) {
                g.writeObjectFieldStart("error");
                g.writeStringField("type", r.error().get().type());
                g.writeStringField("message", r.error().get().message());
                g.writeStringField("traceback", r.error().get().traceback());
                g.writeEndObject();
            } else {
                g.writeNullField("error");
            }
            g.writeFieldName("metrics");
            metrics(g, r.metrics());
            g.writeEndObject();
        });
    }

    /** One step: {@code {"type": "llm_call" | "tool_call" | "message", "agent": ..., ...}}. */
    public static String step(Step step) {
        return Json.text(g -> step(g, step, null));
    }

    /** The step with {@code type} in place of its own type (a tool's result is streamed as {@code tool_result}). */
    public static String step(Step step, String type) {
        return Json.text(g -> step(g, step, type));
    }

    private static void step(JsonGenerator g, Step step, @Nullable String type) throws IOException {
        g.writeStartObject();
        switch (step) {
            case Step.LlmCall c -> {
                g.writeStringField("type", type == null ? "llm_call" : type);
                g.writeStringField("agent", c.agent());
                g.writeStringField("model", c.model());
                g.writeFieldName("message");
                message(g, c.response());
                g.writeFieldName("usage");
                usage(g, c.usage());
                g.writeStringField("finish_reason", c.finishReason());
                g.writeNumberField("latency_ms", millis(c.latency()));
            }
            case Step.ToolExecution t -> {
                g.writeStringField("type", type == null ? "tool_call" : type);
                g.writeStringField("agent", t.agent());
                g.writeFieldName("call");
                toolCall(g, t.call());
                g.writeStringField("result", t.result());
                g.writeBooleanField("error", t.error());
                g.writeNumberField("latency_ms", millis(t.latency()));
            }
            case Step.Message m -> {
                g.writeStringField("type", type == null ? "message" : type);
                g.writeStringField("agent", m.agent());
                g.writeFieldName("message");
                message(g, m.message());
            }
        }
        g.writeEndObject();
    }

    private static void metrics(JsonGenerator g, RunMetrics m) throws IOException {
        g.writeStartObject();
        g.writeNumberField("wall_time_ms", millis(m.wallTime()));
        g.writeNumberField("llm_calls", m.llmCalls());
        g.writeNumberField("tool_calls", m.toolCalls());
        g.writeNumberField("input_tokens", m.inputTokens());
        g.writeNumberField("output_tokens", m.outputTokens());
        g.writeNumberField("total_tokens", m.totalTokens());
        g.writeNumberField("cost_usd", m.costUsd());
        g.writeObjectFieldStart("providers");
        for (var e : new TreeMap<>(m.providers()).entrySet()) {
            g.writeObjectFieldStart(e.getKey());
            g.writeNumberField("llm_calls", e.getValue().calls());
            g.writeNumberField("input_tokens", e.getValue().inputTokens());
            g.writeNumberField("output_tokens", e.getValue().outputTokens());
            g.writeNumberField("cost_usd", e.getValue().costUsd());
            g.writeEndObject();
        }
        g.writeEndObject();
        g.writeEndObject();
    }

    private static void message(JsonGenerator g, ChatMessage m) throws IOException {
        g.writeStartObject();
        g.writeStringField("role", m.role().id());
        g.writeStringField("content", m.content());
        if (!m.toolCalls().isEmpty()) {
            g.writeArrayFieldStart("tool_calls");
            for (ToolCall c : m.toolCalls()) {
                toolCall(g, c);
            }
            g.writeEndArray();
        }
        if (!m.toolCallId().isEmpty()) {
            g.writeStringField("tool_call_id", m.toolCallId());
        }
        if (!m.name().isEmpty()) {
            g.writeStringField("name", m.name());
        }
        g.writeEndObject();
    }

    /** A tool call: {@code {"id": ..., "name": ..., "args": {...}}}. */
    public static void toolCall(JsonGenerator g, ToolCall c) throws IOException {
        g.writeStartObject();
        g.writeStringField("id", c.id());
        g.writeStringField("name", c.name());
        g.writeFieldName("args");
        object(g, c.arguments());
        g.writeEndObject();
    }

    private static void usage(JsonGenerator g, Usage u) throws IOException {
        g.writeStartObject();
        g.writeNumberField("input_tokens", u.inputTokens());
        g.writeNumberField("output_tokens", u.outputTokens());
        g.writeEndObject();
    }

    /** A map of JSON values, as a model's tool arguments or an agent's structured output are. */
    private static void object(JsonGenerator g, Map<?, ?> map) throws IOException {
        g.writeStartObject();
        for (Map.Entry<?, ?> e : map.entrySet()) {
            g.writeFieldName(String.valueOf(e.getKey()));
            value(g, e.getValue());
        }
        g.writeEndObject();
    }

    /** Writes the JSON types directly; anything else goes to the mapper, which knows every type Graft writes. */
    private static void value(JsonGenerator g, @Nullable Object v) throws IOException {
        switch (v) {
            case null -> g.writeNull();
            case String s -> g.writeString(s);
            case Boolean b -> g.writeBoolean(b);
            case Integer i -> g.writeNumber(i);
            case Long l -> g.writeNumber(l);
            case Double d -> g.writeNumber(d);
            case Map<?, ?> m -> object(g, m);
            case List<?> list -> {
                g.writeStartArray();
                for (Object item : list) {
                    value(g, item);
                }
                g.writeEndArray();
            }
            default -> g.writeObject(v);
        }
    }

    private static double millis(Duration d) {
        return d.toNanos() / 1_000_000.0;
    }
}
