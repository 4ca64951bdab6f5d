package io.graft.core.workflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.graft.core.Agent;
import io.graft.core.AgentDefinitionException;
import io.graft.core.AgentDescriptor;
import io.graft.core.AgentResult;
import io.graft.core.AgentRuntime;
import io.graft.core.AgentTask;
import io.graft.core.Framework;
import io.graft.core.RunContext;
import io.graft.core.RunEvent;
import io.graft.core.RunStatus;
import io.graft.core.Step;
import io.graft.core.model.ScriptedChatModel;
import io.graft.core.agents.NativeAgentDefinitions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorkflowAgentTest {
    private final AgentRuntime runtime = AgentRuntime.builder(ScriptedChatModel.fromJson("scripted:test", """
            [{"tool_calls": [{"name": "calculator", "args": {"expression": "17 * 23 + 4"}}]}, {"content": "395"}]""", "test"))
            .build();

    @AfterEach
    void close() {
        runtime.close();
    }

    private void agent(String name, Function<AgentTask, String> answer) {
        runtime.register(new Agent() {
            @Override
            public AgentDescriptor descriptor() {
                return new AgentDescriptor(name, Framework.NATIVE, "", "test");
            }

            @Override
            public AgentResult execute(AgentTask task, RunContext run) {
                run.checkActive();
                return AgentResult.completed(task, Framework.NATIVE, answer.apply(task), Map.of(), List.of());
            }
        });
    }

    private AgentResult run(String name, Workflow workflow, String input) {
        runtime.register(new WorkflowAgent(new AgentDescriptor(name, Framework.NATIVE, "", "test"), workflow, runtime,
                Clock.systemUTC()));
        return runtime.run(AgentTask.of(name, input));
    }

    @Test
    void aPipelineFeedsEachOutputToTheNextAgentAndRecordsEveryStep() {
        agent("upper", t -> t.input().toUpperCase());
        agent("exclaim", t -> t.input() + "!");
        AgentResult r = run("wf", new Workflow.Pipeline(List.of("upper", "exclaim")), "hello");
        assertEquals("HELLO!", r.output());
        List<String> said = r.steps().stream().map(s -> ((Step.Message) s).agent() + "=" + ((Step.Message) s).message().content())
                .toList();
        assertEquals(List.of("upper=HELLO", "exclaim=HELLO!"), said);
        assertEquals("native", ((Step.Message) r.steps().getFirst()).message().name());
    }

    @Test
    void aStepThatCallsTheModelAndToolsShowsThemInTheWorkflowsRunWithItsOwnConversation() throws Exception {
        runtime.register(NativeAgentDefinitions.load(writeReact()));
        List<RunEvent> events = new CopyOnWriteArrayList<>();
        runtime.register(new WorkflowAgent(new AgentDescriptor("twice", Framework.NATIVE, "", "test"),
                new Workflow.Pipeline(List.of("react", "react")), runtime, Clock.systemUTC()));
        AgentResult r = runtime.submit(AgentTask.of("twice", "17 * 23 + 4"), events::add).join();
        // Each step gets the scripted model's answers from the start: one conversation per step.
        assertEquals("395", r.output(), r.toString());
        assertEquals(4, r.steps().stream().filter(s -> s instanceof Step.LlmCall).count());
        assertEquals(2, r.steps().stream().filter(s -> s instanceof Step.ToolExecution).count());
        assertTrue(events.stream().anyMatch(e -> e instanceof RunEvent.Token t && t.runId().equals(r.runId())));
    }

    @Test
    void eachStepEndsItsConversation() throws Exception {
        runtime.register(NativeAgentDefinitions.load(writeReact()));
        runtime.register(new WorkflowAgent(new AgentDescriptor("once", Framework.NATIVE, "", "test"),
                new Workflow.Pipeline(List.of("react")), runtime, Clock.systemUTC()));
        // The step's conversation is the workflow run's id plus the step's number: the same for both
        // runs, which the scripted model serves from its first turn only if the first step ended it.
        for (int i = 0; i < 2; i++) {
            AgentResult r = runtime.run(AgentTask.of("once", "17 * 23 + 4").withId("same-id"));
            assertEquals("395", r.output(), r.toString());
        }
    }

    @TempDir
    Path dir;

    private Path writeReact() throws Exception {
        Path f = dir.resolve("react.json");
        Files.writeString(f, "{\"name\": \"react\", \"tools\": [\"calculator\"]}");
        return f;
    }

    @Test
    void parallelMembersVoteAndTheMajorityAnswerWins() {
        agent("a", t -> "Paris.");
        agent("b", t -> "paris");
        agent("c", t -> "Lyon");
        AgentResult r = run("vote", new Workflow.Parallel(List.of("a", "b", "c"), new Workflow.Aggregator.MajorityVote()), "capital?");
        assertEquals("Paris.", r.output());
        assertEquals(Map.of("Paris.", 2, "Lyon", 1), r.structuredOutput().get("votes"));
    }

    @Test
    void aJudgeSeesEveryAnswerAndGivesTheFinalOne() {
        agent("a", t -> "one");
        agent("b", t -> "two");
        agent("judge", t -> t.input().contains("[a] one") && t.input().contains("[b] two") ? "two is better" : "missing");
        AgentResult r = run("judged", new Workflow.Parallel(List.of("a", "b"), new Workflow.Aggregator.Judge("judge")), "q");
        assertEquals("two is better", r.output());
    }

    @Test
    void aDebateRunsItsRoundsAndTheModeratorConcludes() {
        agent("pro", t -> "pro" + t.input().lines().filter(l -> l.startsWith("[")).count());
        agent("con", t -> "con" + t.input().lines().filter(l -> l.startsWith("[")).count());
        agent("moderator", t -> t.input().substring(t.input().indexOf("Debate:")).lines().skip(1).filter(l -> !l.isBlank())
                .limit(4).toList().toString());
        AgentResult r = run("debate", new Workflow.Debate(List.of("pro", "con"), 2, "moderator"), "q");
        assertEquals("[[pro, round 1] pro0, [con, round 1] con1, [pro, round 2] pro2, [con, round 2] con3]", r.output());
    }

    @Test
    void aSupervisorRoutesToWorkersUntilTheRouterSaysDone() {
        Deque<String> routes = new ArrayDeque<>(List.of("researcher", "Writer.", "DONE"));
        agent("router", t -> routes.removeFirst());
        agent("researcher", t -> "facts");
        agent("writer", t -> t.input().contains("[researcher] facts") ? "essay from facts" : "essay");
        AgentResult r = run("sup", new Workflow.Supervisor("router", List.of("researcher", "writer"), 5), "write");
        assertEquals("essay from facts", r.output());
        assertEquals(List.of("researcher", "writer"), r.structuredOutput().get("workers"));
    }

    @Test
    void aRouterAnswerThatNamesNoWorkerFailsTheRunSayingWhatItAnswered() {
        agent("router", t -> "nobody");
        agent("w", t -> "x");
        AgentResult r = run("sup", new Workflow.Supervisor("router", List.of("w"), 3), "task");
        assertEquals(RunStatus.FAILED, r.status());
        assertEquals("router 'router' answered 'nobody'; expected one of [w] or DONE", r.error().orElseThrow().message());
    }

    @Test
    void cancellingTheWorkflowStopsTheStepInProgress() {
        runtime.register(new Agent() {
            @Override
            public AgentDescriptor descriptor() {
                return new AgentDescriptor("slow", Framework.NATIVE, "", "test");
            }

            @Override
            public AgentResult execute(AgentTask task, RunContext run) {
                while (true) {
                    run.checkActive();
                    Thread.onSpinWait();
                }
            }
        });
        runtime.register(new WorkflowAgent(new AgentDescriptor("wf", Framework.NATIVE, "", "test"),
                new Workflow.Pipeline(List.of("slow")), runtime, Clock.systemUTC()));
        var handle = runtime.submit(AgentTask.of("wf", "x").withTimeout(Duration.ofMillis(200)), e -> {});
        assertEquals(RunStatus.TIMED_OUT, handle.join().status());
    }

    @Test
    void definitionsNameTheFieldThatIsWrong() {
        var e = assertThrows(AgentDefinitionException.class, () -> WorkflowDefinitions.define(
                Map.of("type", "workflow", "name", "x", "pattern", "debate", "agents", List.of("a"), "rounds", 0, "moderator", "m"),
                "x.json", runtime, Clock.systemUTC()));
        assertEquals("x.json: field 'rounds' must be a positive integer, was 0", e.getMessage());
        var unknown = assertThrows(AgentDefinitionException.class, () -> WorkflowDefinitions.define(
                Map.of("type", "workflow", "name", "x", "pattern", "pipeline", "agents", List.of("a"), "judge", "j"),
                "x.json", runtime, Clock.systemUTC()));
        assertTrue(unknown.getMessage().startsWith("x.json: unknown field 'judge' for a pipeline workflow"), unknown.getMessage());
        var pattern = assertThrows(AgentDefinitionException.class, () -> WorkflowDefinitions.define(
                Map.of("name", "x", "pattern", "loop", "agents", List.of("a")), "x.json", runtime, Clock.systemUTC()));
        assertEquals("x.json: field 'pattern' must be one of [debate, parallel, pipeline, supervisor], was 'loop'", pattern.getMessage());
        var self = assertThrows(AgentDefinitionException.class, () -> WorkflowDefinitions.define(
                Map.of("name", "x", "pattern", "pipeline", "agents", List.of("x")), "x.json", runtime, Clock.systemUTC()));
        assertEquals("x.json: workflow 'x' must not call itself", self.getMessage());
    }

    @Test
    void aDefinitionThatWouldCloseACycleThroughOtherWorkflowsIsRefused() {
        agent("history", t -> "h");
        runtime.register(WorkflowDefinitions.define(Map.of("name", "wf1", "pattern", "pipeline", "agents", List.of("history")),
                "wf1.json", runtime, Clock.systemUTC()));
        runtime.register(WorkflowDefinitions.define(Map.of("name", "wf2", "pattern", "parallel", "agents", List.of("history", "wf1")),
                "wf2.json", runtime, Clock.systemUTC()));
        var e = assertThrows(AgentDefinitionException.class, () -> WorkflowDefinitions.define(
                Map.of("name", "wf1", "pattern", "pipeline", "agents", List.of("wf2")), "wf1.json", runtime, Clock.systemUTC()));
        assertEquals("wf1.json: workflow 'wf1' would call itself through wf1 -> wf2 -> wf1; a workflow may call other workflows,"
                + " but never back to itself", e.getMessage());
        assertEquals("h", runtime.run(AgentTask.of("wf2", "go")).output()); // the refused definition left wf1 as it was
    }

    @Test
    void aCycleClosedByWorkflowsRegisteredOutOfOrderFailsTheRunAtItsFirstRepeat() {
        // Each definition was checked when the other did not exist yet, so only the run can see the cycle.
        runtime.register(WorkflowDefinitions.define(Map.of("name", "a", "pattern", "pipeline", "agents", List.of("b")),
                "a.json", runtime, Clock.systemUTC()));
        runtime.register(new WorkflowAgent(new AgentDescriptor("b", Framework.NATIVE, "", "test"),
                new Workflow.Pipeline(List.of("a")), runtime, Clock.systemUTC()));
        AgentResult r = runtime.run(AgentTask.of("a", "go"));
        assertEquals(RunStatus.FAILED, r.status());
        assertEquals("WorkflowCycle", r.error().orElseThrow().type());
        assertEquals("workflow 'a' calls itself through a -> b -> a", r.error().orElseThrow().message());
    }
}
