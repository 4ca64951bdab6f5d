package io.graft.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.graft.core.agents.ReActAgent;
import io.graft.core.model.ScriptedChatModel;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class AgentRuntimeTest {
    private static final String CALC_SCRIPT = """
            [{"tool_calls": [{"name": "calculator", "args": {"expression": "17 * 23 + 4"}}]},
             {"content": "17 * 23 + 4 = 395."}]
            """;

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private AgentRuntime runtime = runtime(CALC_SCRIPT, 100);

    private AgentRuntime runtime(String script, int maxInFlight) {
        AgentRuntime r = AgentRuntime.builder(ScriptedChatModel.fromJson("scripted:test", script, "test"))
                .maxInFlight(maxInFlight).build();
        r.bindTo(meters);
        return r;
    }

    @AfterEach
    void close() {
        runtime.close();
    }

    /** An agent that blocks until interrupted or released, polling its run between sleeps. */
    private static Agent sleeper(String name, CountDownLatch started) {
        return new Agent() {
            @Override
            public AgentDescriptor descriptor() {
                return new AgentDescriptor(name, Framework.NATIVE, "", "test");
            }

            @Override
            public AgentResult execute(AgentTask task, RunContext run) {
                started.countDown();
                for (int i = 0; i < 3000; i++) {
                    run.checkActive();
                    try {
                        Thread.sleep(10);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                return AgentResult.completed(task, Framework.NATIVE, "late", Map.of(), List.of());
            }
        };
    }

    @Test
    void eachRunEndsItsConversationSoAStatefulModelKeepsNothingOfIt() {
        runtime.register(new ReActAgent("calc", "", "Use the calculator.", 5, List.of("calculator")));
        // Both runs use the scripted model's two turns under one conversation id: the second starts
        // at the first turn only because the first run's end dropped its cursor.
        for (int i = 0; i < 2; i++) {
            AgentResult r = runtime.run(AgentTask.of("calc", "What is 17 * 23 + 4?").withId("same-id"));
            assertEquals(RunStatus.COMPLETED, r.status(), r.toString());
            assertEquals("17 * 23 + 4 = 395.", r.output());
        }
    }

    @Test
    void aNativeReActAgentCallsTheToolAndRecordsEveryStep() {
        runtime.register(new ReActAgent("calc", "", "Use the calculator.", 5, List.of("calculator")));
        AgentResult r = runtime.run(AgentTask.of("calc", "What is 17 * 23 + 4?"));
        assertEquals(RunStatus.COMPLETED, r.status());
        assertEquals("17 * 23 + 4 = 395.", r.output());
        assertEquals(Framework.NATIVE, r.framework());
        Step.ToolExecution tool = r.steps().stream().filter(Step.ToolExecution.class::isInstance)
                .map(Step.ToolExecution.class::cast).findFirst().orElseThrow();
        assertEquals("395", tool.result());
        assertEquals(Map.of("expression", "17 * 23 + 4"), tool.arguments());
        assertEquals(2, r.metrics().llmCalls());
        assertEquals(1, r.metrics().toolCalls());
        assertTrue(r.metrics().inputTokens() > 0);
        List<String> messageRoles = r.steps().stream().filter(Step.Message.class::isInstance)
                .map(s -> ((Step.Message) s).message().role().id()).toList();
        assertEquals(List.of("user", "assistant", "tool", "assistant"), messageRoles);
    }

    @Test
    void anEndedRunLeavesNoDeadlineBehind() {
        runtime.register(new ReActAgent("calc", "", "Use the calculator.", 5, List.of("calculator")));
        for (int i = 0; i < 50; i++) {
            assertEquals(RunStatus.COMPLETED, runtime.run(AgentTask.of("calc", "What is 17 * 23 + 4?")).status());
        }
        // Each run's timer (its default deadline is minutes away) left the queue when the run ended.
        assertEquals(0, runtime.pendingDeadlines());
    }

    @Test
    void anAgentPastItsStepLimitFailsWithTheReason() {
        runtime.register(new ReActAgent("calc", "", "", 1, List.of()));
        AgentResult r = runtime.run(AgentTask.of("calc", "What is 17 * 23 + 4?"));
        assertEquals(RunStatus.FAILED, r.status());
        assertEquals("StepLimitExceeded", r.error().orElseThrow().type());
        assertTrue(r.error().orElseThrow().message().contains("limit of 1 model calls"));
    }

    @Test
    void aRunPastItsDeadlineEndsTimedOutWithoutWaitingForTheAgent() {
        runtime.register(sleeper("slow", new CountDownLatch(1)));
        long t0 = System.nanoTime();
        AgentResult r = runtime.run(AgentTask.of("slow", "x").withTimeout(Duration.ofMillis(200)));
        long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        assertEquals(RunStatus.TIMED_OUT, r.status());
        assertTrue(elapsedMs < 10_000, "the timed-out result must not wait for the agent's 30 s, took " + elapsedMs + " ms");
        assertTrue(r.error().orElseThrow().message().contains("deadline"));
    }

    @Test
    void cancellingARunEndsItCancelled() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        runtime.register(sleeper("slow", started));
        RunHandle handle = runtime.submit(AgentTask.of("slow", "x"), e -> {});
        assertTrue(started.await(10, TimeUnit.SECONDS));
        assertTrue(handle.cancel());
        assertEquals(RunStatus.CANCELLED, handle.join().status());
    }

    @Test
    void admissionIsBoundedAndRefusalSaysSo() throws Exception {
        runtime.close();
        runtime = runtime(CALC_SCRIPT, 1);
        CountDownLatch started = new CountDownLatch(1);
        runtime.register(sleeper("slow", started));
        RunHandle first = runtime.submit(AgentTask.of("slow", "x"), e -> {});
        assertTrue(started.await(10, TimeUnit.SECONDS));
        RuntimeOverloadedException e = assertThrows(RuntimeOverloadedException.class,
                () -> runtime.submit(AgentTask.of("slow", "y"), ev -> {}));
        assertTrue(e.getMessage().contains("1 runs are in progress"));
        first.cancel();
        first.join();
    }

    @Test
    void anAgentsOwnAdmissionRefusesItsRunsWhenFullAndLeavesOtherAgentsAlone() throws Exception {
        java.util.concurrent.Semaphore one = new java.util.concurrent.Semaphore(1);
        Admission pool = new Admission() {
            @Override
            public boolean tryEnter() {
                return one.tryAcquire();
            }

            @Override
            public void leave() {
                one.release();
            }

            @Override
            public String full() {
                return "the test pool's 1 place is taken";
            }
        };
        CountDownLatch started = new CountDownLatch(1);
        Agent slow = sleeper("pooled", started);
        runtime.register(new Agent() {
            @Override
            public AgentDescriptor descriptor() {
                return slow.descriptor();
            }

            @Override
            public AgentResult execute(AgentTask task, RunContext run) {
                return slow.execute(task, run);
            }

            @Override
            public Admission admission() {
                return pool;
            }
        });
        runtime.register(new ReActAgent("calc", "", "", 3, List.of("calculator")));
        RunHandle first = runtime.submit(AgentTask.of("pooled", "x"), e -> {});
        assertTrue(started.await(10, TimeUnit.SECONDS));
        RuntimeOverloadedException e = assertThrows(RuntimeOverloadedException.class,
                () -> runtime.submit(AgentTask.of("pooled", "y"), ev -> {}));
        assertEquals("the test pool's 1 place is taken; try again later", e.getMessage());
        assertEquals(RunStatus.COMPLETED, runtime.run(AgentTask.of("calc", "17 * 23 + 4")).status(), "other agents still run");
        first.cancel();
        first.join();
        assertEquals(1, one.availablePermits(), "the run's end gave its place back");
        RunHandle again = runtime.submit(AgentTask.of("pooled", "z"), ev -> {});
        again.cancel();
        assertEquals(RunStatus.CANCELLED, again.join().status());
        assertEquals(1, one.availablePermits());
    }

    @Test
    void unknownAgentsAreNamedWithTheKnownOnes() {
        runtime.register(new ReActAgent("calc", "", "", 3, List.of()));
        AgentNotFoundException e = assertThrows(AgentNotFoundException.class, () -> runtime.run(AgentTask.of("nope", "x")));
        assertEquals("no agent named 'nope' (registered: calc)", e.getMessage());
    }

    @Test
    void anExceptionInsideAnAgentFailsTheRunWithItsType() {
        runtime.register(new Agent() {
            @Override
            public AgentDescriptor descriptor() {
                return new AgentDescriptor("boom", Framework.NATIVE, "", "test");
            }

            @Override
            public AgentResult execute(AgentTask task, RunContext run) {
                throw new IllegalStateException("broken on purpose");
            }
        });
        AgentResult r = runtime.run(AgentTask.of("boom", "x"));
        assertEquals(RunStatus.FAILED, r.status());
        assertEquals("IllegalStateException", r.error().orElseThrow().type());
        assertEquals("broken on purpose", r.error().orElseThrow().message());
    }

    @Test
    void runsAreCountedByFrameworkAndStatusAndEventsAreEmitted() {
        runtime.register(new ReActAgent("calc", "", "", 5, List.of()));
        List<RunEvent> events = new CopyOnWriteArrayList<>();
        AgentResult r = runtime.submit(AgentTask.of("calc", "q"), events::add).join();
        assertEquals(RunStatus.COMPLETED, r.status());
        assertEquals(1.0, meters.get("graft.runs").tags("framework", "native", "status", "COMPLETED").counter().count());
        assertEquals(1, meters.get("graft.run.latency").tags("framework", "native").timer().count());
        assertInstanceOf(RunEvent.Started.class, events.getFirst());
        assertTrue(events.stream().anyMatch(e -> e instanceof RunEvent.Token t && t.text().contains("395")));
        assertTrue(events.stream().anyMatch(e -> e instanceof RunEvent.StepRecorded s && s.step() instanceof Step.ToolExecution));
    }

    @Test
    void anUnknownToolCallIsReportedToTheModelNotThrown() {
        runtime.close();
        runtime = runtime("""
                [{"tool_calls": [{"name": "teleport", "args": {}}]}, {"content": "cannot"}]
                """, 10);
        runtime.register(new ReActAgent("a", "", "", 5, List.of()));
        AgentResult r = runtime.run(AgentTask.of("a", "go"));
        assertEquals(RunStatus.COMPLETED, r.status());
        Step.ToolExecution t = (Step.ToolExecution) r.steps().stream().filter(Step.ToolExecution.class::isInstance)
                .findFirst().orElseThrow();
        assertTrue(t.error());
        assertEquals("Error: unknown tool 'teleport'", t.result());
    }
}
