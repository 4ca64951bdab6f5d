package io.graft.python;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.graft.core.AgentDefinitionException;
import io.graft.core.AgentResult;
import io.graft.core.AgentRuntime;
import io.graft.core.AgentTask;
import io.graft.core.Framework;
import io.graft.core.RunStatus;
import io.graft.core.Step;
import io.graft.core.model.ChatMessage;
import io.graft.core.model.ScriptedChatModel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Real CrewAI crews in GraalPy, run through the Graft runtime. */
class CrewAIAdapterTest {
    // A stopped run whose Python thread will not stop (a blocking sleep) gets its context replaced;
    // the next run may have to wait for a fresh context to import all three frameworks, which takes
    // minutes on a loaded 2-core machine when another test replaced the pool's other context too.
    private static final Duration REPLACEMENT_WARM_UP = Duration.ofMinutes(10);


    private static List<String> toolNames(AgentResult r) {
        return r.steps().stream().filter(Step.ToolExecution.class::isInstance).map(Step.ToolExecution.class::cast)
                .map(Step.ToolExecution::toolName).sorted().toList();
    }

    private static List<String> speakers(AgentResult r) {
        return r.steps().stream().filter(Step.Message.class::isInstance).map(s -> ((Step.Message) s).message())
                .filter(m -> m.role().id().equals("assistant")).map(ChatMessage::name).distinct().toList();
    }

    @Test
    void everyPlaceholderButInputAndHistoryIsARequiredInputOfTheCrew() {
        Map<String, Object> schema = SharedPython.agents().load(SharedPython.script("crewai_placeholders.py")).getFirst()
                .descriptor().inputSchema();
        Map<?, ?> inputs = (Map<?, ?>) ((Map<?, ?>) schema.get("properties")).get("inputs");
        assertEquals(List.of("domain", "topic"), inputs.get("required"), schema::toString);
        Map<?, ?> topic = (Map<?, ?>) ((Map<?, ?>) inputs.get("properties")).get("topic");
        assertEquals("fills {topic} in agent 1 goal, task 1 expected_output", topic.get("description"));
    }

    @Test
    void aSequentialCrewRunsEachTaskWithItsAgentAndAJavaTool() {
        try (AgentRuntime runtime = SharedPython.exampleRuntime("crewai_sequential")) {
            for (int run = 0; run < 2; run++) { // the crew's inputs are interpolated afresh on every run
                AgentResult r = runtime.run(AgentTask.of("crewai-research-crew", "17 * 23 + 4"));
                assertEquals(RunStatus.COMPLETED, r.status(), () -> r.error().toString());
                assertEquals(Framework.CREWAI, r.framework());
                assertEquals("17 * 23 + 4 is 395.", r.output());
                assertEquals(List.of("Researcher", "Writer"), speakers(r));
                assertEquals(List.of("calculator"), toolNames(r));
                assertEquals(3, r.metrics().llmCalls());
                @SuppressWarnings("unchecked")
                List<Map<String, Object>> tasks = (List<Map<String, Object>>) r.structuredOutput().get("tasks");
                assertEquals(List.of("395", "17 * 23 + 4 is 395."), tasks.stream().map(t -> t.get("output")).toList());
                @SuppressWarnings("unchecked")
                Map<String, Object> usage = (Map<String, Object>) r.structuredOutput().get("usage");
                assertEquals(3, ((Number) usage.get("llm_calls")).intValue(), usage::toString); // the shared LLM counted once
                assertFalse(r.structuredOutput().containsKey("stop_reason")); // CrewAI has none of its own: a normal end
            }
        }
    }

    @Test
    void crewsRunManyTimesOnBothContextsAtOnce() throws Exception {
        // Every kickoff rewrites CrewAI's SQLite file of task outputs; each context has its own.
        try (AgentRuntime runtime = SharedPython.exampleRuntime("crewai_sequential");
             var runs = java.util.concurrent.Executors.newFixedThreadPool(2)) {
            List<java.util.concurrent.Future<AgentResult>> results = IntStream.range(0, 12)
                    .mapToObj(i -> runs.submit(() -> runtime.run(AgentTask.of("crewai-research-crew", "17 * 23 + 4"))))
                    .toList();
            for (var result : results) {
                AgentResult r = result.get();
                assertEquals(RunStatus.COMPLETED, r.status(), () -> r.error().toString());
                assertEquals("17 * 23 + 4 is 395.", r.output());
            }
        }
    }

    @Test
    void aHierarchicalCrewsManagerDelegatesToItsWorkers() {
        try (AgentRuntime runtime = SharedPython.exampleRuntime("crewai_hierarchical")) {
            AgentResult r = runtime.run(AgentTask.of("crewai-managed-crew", "What is 12 * 12?"));
            assertEquals(RunStatus.COMPLETED, r.status(), () -> r.error().toString());
            assertEquals("Twelve times twelve is 144.", r.output());
            // The Java calculator is recorded as it runs, the manager's delegations (CrewAI tools) when the run ends.
            assertEquals(List.of("calculator", "delegate_work_to_coworker", "delegate_work_to_coworker"), toolNames(r));
            assertEquals(6, r.metrics().llmCalls());
        }
    }

    @Test
    void aCrewThatLoopsPastItsStepLimitFailsWithTheReason() {
        String turns = IntStream.range(0, 40)
                .mapToObj(i -> "{\"tool_calls\": [{\"name\": \"calculator\", \"args\": {\"expression\": \"" + i + " + 1\"}}]}")
                .collect(Collectors.joining(",", "[", "]"));
        try (AgentRuntime runtime = SharedPython.runtimeFor(SharedPython.script("crewai_looping.py"),
                ScriptedChatModel.fromJson("scripted:looping", turns, "test"))) {
            AgentResult r = runtime.run(AgentTask.of("crewai_looping", "forever").withMetadata(Map.of("max_steps", "4")));
            assertEquals(RunStatus.FAILED, r.status());
            assertTrue(r.error().orElseThrow().message().contains("exceeded its step limit of 4 LLM calls"), r.error().toString());
        }
    }

    @Test
    void aDeadlineStopsARunningCrewAndTheNextRunGetsAFreshOne() {
        try (AgentRuntime runtime = SharedPython.runtimeFor(SharedPython.script("crewai_slow.py"), new PauseModel())) {
            AgentResult stopped = runtime.run(AgentTask.of("crewai_slow", "be slow").withTimeout(Duration.ofSeconds(3)));
            assertEquals(RunStatus.TIMED_OUT, stopped.status());
            AgentResult next = runtime.run(AgentTask.of("crewai_slow", "be quick").withTimeout(REPLACEMENT_WARM_UP));
            assertEquals(RunStatus.COMPLETED, next.status(), () -> next.error().toString());
            assertEquals("done", next.output());
        }
    }

    @Test
    void aCrewCrewAIRejectsReportsCrewAIsMessageWithFileAndLine() {
        Path script = SharedPython.script("crewai_invalid.py");
        AgentDefinitionException e = assertThrows(AgentDefinitionException.class, () -> SharedPython.agents().load(script));
        assertEquals(9, e.line().orElseThrow());
        assertTrue(e.getMessage().contains("Agent is missing in the task"), e.getMessage());
    }
}
