package io.graft.core.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.graft.core.AgentError;
import io.graft.core.AgentResult;
import io.graft.core.Framework;
import io.graft.core.RunMetrics;
import io.graft.core.RunStatus;
import io.graft.core.Step;
import io.graft.core.model.ChatMessage;
import io.graft.core.model.ToolCall;
import io.graft.core.model.Usage;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ResultJsonTest {
    private static final ToolCall CALL = new ToolCall("call_1", "calculator", Map.of("expression", "17 * 23 + 4"));
    private static final Step LLM = new Step.LlmCall("calc", "scripted:s.json", ChatMessage.assistant("", List.of(CALL)),
            new Usage(23, 10), "tool_calls", Duration.ofNanos(5_370_379));
    private static final Step TOOL = new Step.ToolExecution("calc", CALL, "395", false, Duration.ofMillis(2));
    private static final Step REPLY = new Step.Message("calc", ChatMessage.tool("call_1", "calculator", "a \"quoted\"\nline é"));

    private static AgentResult result() {
        Map<String, Object> structured = new LinkedHashMap<>();
        structured.put("answer", 395);
        structured.put("found", null);
        return new AgentResult("run-1", "calc", Framework.NATIVE, RunStatus.FAILED, "", structured, List.of(LLM, TOOL, REPLY),
                Optional.of(new AgentError("ToolError", "it broke", "Traceback ...")),
                new RunMetrics(Duration.ofMillis(38), 2, 1, 49, 15, 0.25,
                        Map.of("openai", new RunMetrics.ProviderUsage(1, 23, 10, 0.2), "anthropic", new RunMetrics.ProviderUsage(1, 26, 5, 0.05))));
    }

    @Test
    void aResultHasEveryFieldOfThePublicForm() {
        Map<String, Object> r = Json.readMap(ResultJson.result(result()), "result");
        assertEquals(List.of("run_id", "agent", "framework", "status", "output", "structured_output", "steps", "error", "metrics"),
                List.copyOf(r.keySet()));
        assertEquals("native", r.get("framework"));
        assertEquals("FAILED", r.get("status"));
        Map<String, Object> structured = new LinkedHashMap<>();
        structured.put("answer", 395);
        structured.put("found", null);
        assertEquals(structured, r.get("structured_output"));
        assertEquals(Map.of("type", "ToolError", "message", "it broke", "traceback", "Traceback ..."), r.get("error"));

        List<?> steps = (List<?>) r.get("steps");
        assertEquals(Map.of("type", "llm_call", "agent", "calc", "model", "scripted:s.json",
                "message", Map.of("role", "assistant", "content", "", "tool_calls",
                        List.of(Map.of("id", "call_1", "name", "calculator", "args", Map.of("expression", "17 * 23 + 4")))),
                "usage", Map.of("input_tokens", 23, "output_tokens", 10), "finish_reason", "tool_calls", "latency_ms", 5.370379),
                steps.get(0));
        assertEquals(Map.of("type", "tool_call", "agent", "calc", "call",
                Map.of("id", "call_1", "name", "calculator", "args", Map.of("expression", "17 * 23 + 4")),
                "result", "395", "error", false, "latency_ms", 2.0), steps.get(1));
        assertEquals(Map.of("type", "message", "agent", "calc", "message", Map.of("role", "tool",
                "content", "a \"quoted\"\nline é", "tool_call_id", "call_1", "name", "calculator")), steps.get(2));

        @SuppressWarnings("unchecked")
        Map<String, Object> metrics = (Map<String, Object>) r.get("metrics");
        assertEquals(List.of("wall_time_ms", "llm_calls", "tool_calls", "input_tokens", "output_tokens", "total_tokens", "cost_usd",
                "providers"), List.copyOf(metrics.keySet()));
        assertEquals(64, metrics.get("total_tokens"));
        @SuppressWarnings("unchecked")
        Map<String, Object> providers = (Map<String, Object>) metrics.get("providers");
        assertEquals(List.of("anthropic", "openai"), List.copyOf(providers.keySet()), "providers are sorted by name");
        assertEquals(Map.of("llm_calls", 1, "input_tokens", 23, "output_tokens", 10, "cost_usd", 0.2), providers.get("openai"));
    }

    @Test
    void aCompletedResultHasANullError() {
        AgentResult r = result();
        AgentResult ok = new AgentResult(r.runId(), r.agent(), r.framework(), RunStatus.COMPLETED, "395", Map.of(), List.of(),
                Optional.empty(), RunMetrics.EMPTY);
        Map<String, Object> json = Json.readMap(ResultJson.result(ok), "result");
        assertTrue(json.containsKey("error"));
        assertEquals(null, json.get("error"));
        assertEquals(Map.of(), json.get("structured_output"));
    }

    @Test
    void aStepWrittenBeforeIsEmbeddedAsItIsAndTheRestAreWrittenTheSame() {
        String llm = ResultJson.step(LLM);
        String written = ResultJson.result(result(), s -> s == LLM ? llm : null);
        // The server stores events that repeat the result as references into it: the text must be there verbatim.
        assertTrue(written.contains(llm), written);
        assertTrue(written.contains(ResultJson.step(REPLY)), written);
        assertEquals(ResultJson.result(result()), written);
    }

    @Test
    void argumentsOfEveryJsonTypeAreWrittenAsThemselves() {
        Map<String, Object> args = new LinkedHashMap<>();
        args.put("text", "x");
        args.put("count", 3);
        args.put("big", 12_345_678_901L);
        args.put("ratio", 0.5);
        args.put("flag", true);
        args.put("list", List.of(1, "two", List.of(3.0), Map.of("k", "v")));
        args.put("decimal", new java.math.BigDecimal("1.25"));
        args.put("nested", Map.of("deep", Map.of("deeper", false)));
        ToolCall call = new ToolCall("c", "t", args);
        Map<String, Object> step = Json.readMap(ResultJson.step(new Step.ToolExecution("a", call, "", false, Duration.ZERO)), "step");
        @SuppressWarnings("unchecked")
        Map<String, Object> written = (Map<String, Object>) ((Map<String, Object>) step.get("call")).get("args");
        assertEquals(List.copyOf(call.arguments().keySet()), List.copyOf(written.keySet()), "keys keep their order");
        assertEquals(Json.readMap(Json.write(args), "args"), written);
    }

    @Test
    void aStepCanTakeAnotherType() {
        Map<String, Object> streamed = Json.readMap(ResultJson.step(TOOL, "tool_result"), "step");
        assertEquals("tool_result", streamed.get("type"));
        assertEquals("395", streamed.get("result"));
    }
}
