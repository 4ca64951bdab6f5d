package io.graft.python;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Real AutoGen AgentChat teams in GraalPy, run through the Graft runtime. */
class AutoGenAdapterTest {
    // A stopped run whose Python thread will not stop (a blocking sleep) gets its context replaced;
    // the next run may have to wait for a fresh context to import all three frameworks, which takes
    // minutes on a loaded 2-core machine when another test replaced the pool's other context too.
    private static final Duration REPLACEMENT_WARM_UP = Duration.ofMinutes(10);


    private static List<Step.ToolExecution> toolSteps(AgentResult r) {
        return r.steps().stream().filter(Step.ToolExecution.class::isInstance).map(Step.ToolExecution.class::cast).toList();
    }

    private static List<String> speakers(AgentResult r) {
        return r.steps().stream().filter(Step.Message.class::isInstance).map(s -> ((Step.Message) s).message())
                .filter(m -> m.role().id().equals("assistant")).map(ChatMessage::name).toList();
    }

    @Test
    void aRoundRobinTeamTakesTurnsUntilItsTerminationCondition() {
        try (AgentRuntime runtime = SharedPython.exampleRuntime("autogen_round_robin")) {
            for (int run = 0; run < 2; run++) { // the team is reset between runs
                AgentResult r = runtime.run(AgentTask.of("autogen-review-team", "What is 17 * 23 + 4?"));
                assertEquals(RunStatus.COMPLETED, r.status(), () -> r.error().toString());
                assertEquals(Framework.AUTOGEN, r.framework());
                assertEquals("17 * 23 is 391, plus 4 is 395. APPROVED", r.output());
                assertEquals("Text 'APPROVED' mentioned", r.structuredOutput().get("stop_reason"));
                assertEquals(List.of("writer", "writer", "reviewer"), speakers(r));
                List<Step.ToolExecution> tools = toolSteps(r);
                assertEquals(1, tools.size());
                assertEquals("calculator", tools.getFirst().toolName());
                assertEquals("395", tools.getFirst().result());
                assertEquals(3, r.metrics().llmCalls());
                assertTrue(r.metrics().outputTokens() > 0);
            }
        }
    }

    @Test
    void anAutoGenTeamReadsTheTaskTextOnly() {
        var agents = SharedPython.agents().load(SharedPython.example("autogen_round_robin/agent.py"));
        assertEquals(io.graft.core.AgentDescriptor.textInputSchema(), agents.getFirst().descriptor().inputSchema());
    }

    @Test
    void aSwarmHandsOffWithAToolCallAndTheSpecialistUsesAJavaTool() {
        try (AgentRuntime runtime = SharedPython.exampleRuntime("autogen_swarm")) {
            AgentResult r = runtime.run(AgentTask.of("autogen-swarm", "What is 17 * 23 + 4?"));
            assertEquals(RunStatus.COMPLETED, r.status(), () -> r.error().toString());
            assertEquals("17 * 23 + 4 = 395. TERMINATE", r.output());
            // The Java tool is recorded as it runs, the handoff (a Python tool) when the run ends.
            assertEquals(List.of("calculator", "transfer_to_mathematician"),
                    toolSteps(r).stream().map(Step.ToolExecution::toolName).sorted().toList());
            assertTrue(speakers(r).containsAll(List.of("triage", "mathematician")), speakers(r).toString());
        }
    }

    @Test
    void aSingleAgentRunsAloneAndAgainAfterItsReset() {
        String turns = "[{\"tool_calls\": [{\"name\": \"calculator\", \"args\": {\"expression\": \"6 * 7\"}}]},"
                + " {\"content\": \"6 * 7 = 42.\"}]";
        try (AgentRuntime runtime = SharedPython.runtimeFor(SharedPython.script("autogen_single.py"),
                ScriptedChatModel.fromJson("scripted:single", turns, "test"))) {
            for (int run = 0; run < 2; run++) {
                AgentResult r = runtime.run(AgentTask.of("autogen_single", "What is 6 * 7?"));
                assertEquals(RunStatus.COMPLETED, r.status(), () -> r.error().toString());
                assertEquals("6 * 7 = 42.", r.output());
                assertEquals(List.of("solo", "solo"), speakers(r));
                assertEquals("42", toolSteps(r).getFirst().result());
            }
        }
    }

    @Test
    void aTeamThatLoopsPastItsStepLimitFailsWithTheReason() {
        String turns = IntStream.range(0, 30).mapToObj(i -> "{\"content\": \"turn " + i + "\"}")
                .reduce((a, b) -> a + "," + b).orElseThrow();
        try (AgentRuntime runtime = SharedPython.runtimeFor(SharedPython.script("autogen_chatter.py"),
                ScriptedChatModel.fromJson("scripted:chatter", "[" + turns + "]", "test"))) {
            AgentResult r = runtime.run(AgentTask.of("autogen_chatter", "argue").withMetadata(Map.of("max_steps", "4")));
            assertEquals(RunStatus.FAILED, r.status());
            assertTrue(r.error().orElseThrow().message().contains("exceeded its step limit of 4"), r.error().toString());
            AgentResult next = runtime.run(AgentTask.of("autogen_chatter", "argue").withMetadata(Map.of("max_steps", "6")));
            assertTrue(next.error().orElseThrow().message().contains("step limit of 6"), next.error().toString());
        }
    }

    @Test
    void aDeadlineStopsARunningTeamAndTheNextRunGetsAFreshOne() {
        try (AgentRuntime runtime = SharedPython.runtimeFor(SharedPython.script("autogen_slow.py"), new PauseModel())) {
            AgentResult stopped = runtime.run(AgentTask.of("autogen_slow", "be slow").withTimeout(Duration.ofSeconds(2)));
            assertEquals(RunStatus.TIMED_OUT, stopped.status());
            AgentResult next = runtime.run(AgentTask.of("autogen_slow", "be quick").withTimeout(REPLACEMENT_WARM_UP));
            assertEquals(RunStatus.COMPLETED, next.status(), () -> next.error().toString());
            assertEquals("done", next.output());
        }
    }

    @Test
    void aTeamAutoGenRejectsReportsAutoGensMessageWithFileAndLine() {
        Path script = SharedPython.script("autogen_invalid.py");
        AgentDefinitionException e = assertThrows(AgentDefinitionException.class, () -> SharedPython.agents().load(script));
        assertEquals(10, e.line().orElseThrow());
        assertTrue(e.getMessage().contains("The participant names must be unique"), e.getMessage());
    }
}
