package io.graft.core.workflow;

import io.graft.core.Agent;
import io.graft.core.AgentDescriptor;
import io.graft.core.AgentError;
import io.graft.core.AgentFailedException;
import io.graft.core.AgentResult;
import io.graft.core.AgentRuntime;
import io.graft.core.AgentTask;
import io.graft.core.Framework;
import io.graft.core.RunCancelledException;
import io.graft.core.RunContext;
import io.graft.core.RunEvent;
import io.graft.core.RunStatus;
import io.graft.core.Step;
import io.graft.core.model.ChatMessage;
import io.graft.core.model.Role;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs a {@link Workflow} as one agent. Each step runs a registered agent (of any framework) in
 * a run context of its own, so scripted and real models see one conversation per step; its model
 * calls, tool calls and messages are recorded in the workflow's run as they happen, followed by a
 * message step with the step's answer ({@code agent}: the step's agent; the message's
 * {@code name}: its framework). Cancelling or timing out the workflow stops the step in progress.
 */
public final class WorkflowAgent implements Agent {
    private static final java.time.Duration STEP_DEADLINE_GRACE = java.time.Duration.ofMillis(250);

    private final AgentDescriptor descriptor;
    private final Workflow workflow;
    private final AgentRuntime runtime;
    private final Clock clock;

    public WorkflowAgent(AgentDescriptor descriptor, Workflow workflow, AgentRuntime runtime, Clock clock) {
        this.descriptor = descriptor;
        this.workflow = workflow;
        this.runtime = runtime;
        this.clock = clock;
    }

    @Override
    public AgentDescriptor descriptor() {
        return descriptor;
    }

    public Workflow workflow() {
        return workflow;
    }

    @Override
    public AgentResult execute(AgentTask task, RunContext run) {
        return execute(task, run, List.of());
    }

    /**
     * Runs this workflow as a step of the workflows in {@code callers}, outermost first. Definitions
     * refuse a cycle among the workflows registered then ({@link WorkflowDefinitions#define}), but a
     * workflow replaced later can close one; this check stops such a run at its first repeated
     * workflow instead of letting it nest until the stack or the deadline ends it.
     */
    AgentResult execute(AgentTask task, RunContext run, List<String> callers) {
        if (callers.contains(descriptor.name())) {
            List<String> path = new ArrayList<>(callers.subList(callers.indexOf(descriptor.name()), callers.size()));
            path.add(descriptor.name());
            throw new AgentFailedException(new AgentError("WorkflowCycle", "workflow '" + descriptor.name()
                    + "' calls itself through " + String.join(" -> ", path), ""));
        }
        List<String> path = new ArrayList<>(callers);
        path.add(descriptor.name());
        Steps steps = new Steps(run, List.copyOf(path));
        return switch (workflow) {
            case Workflow.Pipeline p -> pipeline(p, task, steps);
            case Workflow.Parallel p -> parallel(p, task, steps);
            case Workflow.Debate d -> debate(d, task, steps);
            case Workflow.Supervisor s -> supervisor(s, task, steps);
        };
    }

    private AgentResult pipeline(Workflow.Pipeline p, AgentTask task, Steps steps) {
        String text = task.input();
        List<ChatMessage> history = task.history();
        for (String agent : p.steps()) {
            text = steps.run(agent, text, history).output();
            history = List.of(); // the thread's history is the first step's context; later steps get their input only
        }
        return AgentResult.completed(task, Framework.NATIVE, text, Map.of(), List.of());
    }

    private AgentResult parallel(Workflow.Parallel p, AgentTask task, Steps steps) {
        Map<String, String> answers = new LinkedHashMap<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<AgentResult>> futures = new ArrayList<>();
            for (String member : p.members()) {
                futures.add(pool.submit(() -> steps.run(member, task.input(), task.history())));
            }
            for (int i = 0; i < futures.size(); i++) {
                answers.put(p.members().get(i) + (answers.containsKey(p.members().get(i)) ? "#" + i : ""), join(futures.get(i)));
            }
        }
        return switch (p.aggregator()) {
            case Workflow.Aggregator.MajorityVote v -> vote(task, answers);
            case Workflow.Aggregator.Judge j -> {
                StringBuilder prompt = new StringBuilder("Question: ").append(task.input()).append("\n\nAnswers:\n");
                answers.forEach((agent, answer) -> prompt.append("[").append(agent).append("] ").append(answer).append('\n'));
                prompt.append("\nGive the best answer.");
                String verdict = steps.run(j.agent(), prompt.toString(), List.of()).output();
                yield AgentResult.completed(task, Framework.NATIVE, verdict, Map.of("answers", answers), List.of());
            }
        };
    }

    private static AgentResult vote(AgentTask task, Map<String, String> answers) {
        Map<String, Integer> votes = new LinkedHashMap<>();
        Map<String, String> firstSaid = new LinkedHashMap<>();
        for (String answer : answers.values()) {
            String key = normalize(answer);
            votes.merge(key, 1, Integer::sum);
            firstSaid.putIfAbsent(key, answer);
        }
        String winner = votes.entrySet().stream()
                .reduce((a, b) -> b.getValue() > a.getValue() ? b : a)
                .orElseThrow().getKey();
        Map<String, Object> tally = new LinkedHashMap<>();
        votes.forEach((k, n) -> tally.put(firstSaid.get(k), n));
        return AgentResult.completed(task, Framework.NATIVE, firstSaid.get(winner), Map.of("answers", answers, "votes", tally),
                List.of());
    }

    private static String normalize(String answer) {
        return answer.strip().replaceAll("[.!?]+$", "").strip().toLowerCase(Locale.ROOT);
    }

    private AgentResult debate(Workflow.Debate d, AgentTask task, Steps steps) {
        StringBuilder transcript = new StringBuilder();
        for (int round = 1; round <= d.rounds(); round++) {
            for (String debater : d.debaters()) {
                String input = task.input() + (transcript.isEmpty() ? "" : "\n\nDebate so far:\n" + transcript)
                        + "\n\nRound " + round + " of " + d.rounds() + ": give your answer.";
                String said = steps.run(debater, input, task.history()).output();
                transcript.append("[").append(debater).append(", round ").append(round).append("] ").append(said).append('\n');
            }
        }
        String conclusion = steps.run(d.moderator(), "Question: " + task.input() + "\n\nDebate:\n" + transcript
                + "\nConclude with the final answer.", task.history()).output();
        return AgentResult.completed(task, Framework.NATIVE, conclusion, Map.of("transcript", transcript.toString()), List.of());
    }

    private AgentResult supervisor(Workflow.Supervisor s, AgentTask task, Steps steps) {
        StringBuilder work = new StringBuilder();
        String last = "";
        List<String> order = new ArrayList<>();
        for (int turn = 0; turn < s.maxTurns(); turn++) {
            String routing = steps.run(s.router(), "Task: " + task.input() + "\n\nWorkers: " + String.join(", ", s.workers())
                    + (work.isEmpty() ? "" : "\n\nWork so far:\n" + work)
                    + "\n\nReply with the name of the next worker, or DONE.", task.history()).output();
            String choice = routing.strip().replaceAll("[.!?]+$", "").strip();
            if (choice.equalsIgnoreCase("DONE")) {
                return AgentResult.completed(task, Framework.NATIVE, last, Map.of("workers", order), List.of());
            }
            String worker = s.workers().stream().filter(w -> w.equalsIgnoreCase(choice)).findFirst()
                    .orElseThrow(() -> new AgentFailedException(new AgentError("RoutingError", "router '" + s.router()
                            + "' answered '" + routing.strip() + "'; expected one of " + s.workers() + " or DONE", "")));
            last = steps.run(worker, task.input() + (work.isEmpty() ? "" : "\n\nWork so far:\n" + work), task.history()).output();
            order.add(worker);
            work.append("[").append(worker).append("] ").append(last).append('\n');
        }
        // The router never said DONE: the answer is the last worker's, and the result says why it stopped.
        return AgentResult.completed(task, Framework.NATIVE, last, Map.of("workers", order, "stopped", "max_turns"), List.of());
    }

    private static String join(Future<AgentResult> f) {
        try {
            return f.get().output();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AgentFailedException(new AgentError("Interrupted", "workflow interrupted", ""));
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new AgentFailedException(AgentError.of(e.getCause()));
        }
    }

    /** Runs steps in child contexts that report into the workflow's run. */
    private final class Steps {
        private final RunContext parent;
        /** The workflows this one runs inside, outermost first, ending with this one. */
        private final List<String> path;
        private final AtomicInteger count = new AtomicInteger();

        Steps(RunContext parent, List<String> path) {
            this.parent = parent;
            this.path = path;
        }

        AgentResult run(String agentName, String input, List<ChatMessage> history) {
            parent.checkActive();
            Agent agent = runtime.find(agentName).orElseThrow(() -> new AgentFailedException(new AgentError("AgentNotFound",
                    "workflow '" + descriptor.name() + "' calls agent '" + agentName + "', which is not registered", "")));
            AgentTask parentTask = parent.task();
            // The workflow's own deadline stops the step (through the cancel hook below), so the run
            // ends TIMED_OUT as a whole; the step's deadline, a little later, is only a backstop.
            AgentTask child = new AgentTask(parent.runId() + "/" + count.incrementAndGet(), agentName, input,
                    parentTask.inputs(), history, parentTask.tools(), parentTask.memoryNamespace(),
                    parent.remaining().plus(STEP_DEADLINE_GRACE), parentTask.metadata());
            RunContext context = new RunContext(child, "", runtime.model(), runtime.tools(), runtime.memory().orElse(null), clock);
            context.addListener(e -> {
                switch (e) {
                    case RunEvent.StepRecorded s -> parent.record(s.step());
                    case RunEvent.Token t -> parent.emit(new RunEvent.Token(parent.runId(), t.agent(), t.text()));
                    default -> { }
                }
            });
            parent.onCancel(() -> context.cancel(parent.stoppedAs().orElse(RunStatus.CANCELLED)));
            AgentResult result;
            try {
                result = agent instanceof WorkflowAgent inner ? inner.execute(child, context, path) : agent.execute(child, context);
            } catch (RunCancelledException e) {
                parent.checkActive(); // reports the workflow's own deadline or cancellation, if that is why
                throw e;
            } finally {
                AgentRuntime.endConversation(runtime.model(), context.runId());
            }
            result.steps().forEach(parent::record);
            if (!result.completed()) {
                throw new AgentFailedException(result.error().orElse(new AgentError(result.status().name(),
                        "step agent '" + agentName + "' ended " + result.status(), "")));
            }
            parent.record(new Step.Message(agentName, new ChatMessage(Role.ASSISTANT, result.output(), List.of(), "",
                    agent.descriptor().framework().id())));
            return result;
        }
    }
}
