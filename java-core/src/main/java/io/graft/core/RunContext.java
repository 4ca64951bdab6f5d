package io.graft.core;

import io.graft.core.memory.AgentMemory;
import io.graft.core.memory.MemoryStore;
import io.graft.core.memory.Namespace;
import io.graft.core.model.CallScope;
import io.graft.core.model.ChatMessage;
import io.graft.core.model.ChatModel;
import io.graft.core.model.ChatRequest;
import io.graft.core.model.ChatResponse;
import io.graft.core.model.ToolCall;
import io.graft.core.model.ToolSpec;
import io.graft.core.tool.Tool;
import io.graft.core.tool.ToolException;
import io.graft.core.tool.ToolRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * The services and state of one run. Every model call and tool call of every framework goes
 * through here, so steps, token counts and cancellation work the same for all of them.
 *
 * <p>Thread-safe: a framework may call the model and tools from several threads of one run.
 */
public final class RunContext {
    private final AgentTask task;
    private final ChatModel model;
    private final ToolRegistry tools;
    private final Clock clock;
    private final long startNanos;
    private final Instant deadline;
    private final List<Step> steps = new ArrayList<>();
    private final List<Consumer<RunEvent>> listeners = new CopyOnWriteArrayList<>();
    private final List<Runnable> cancelHooks = new CopyOnWriteArrayList<>();
    private final AtomicReference<RunStatus> stopped = new AtomicReference<>();
    private final AtomicInteger llmCalls = new AtomicInteger();
    private final AtomicInteger toolCalls = new AtomicInteger();
    private final AtomicLong inputTokens = new AtomicLong();
    private final AtomicLong outputTokens = new AtomicLong();
    private final Map<String, RunMetrics.ProviderUsage> providers = new ConcurrentHashMap<>();
    private final String framework;
    private final @Nullable MemoryStore memory;
    private final Map<Namespace, AgentMemory> memories = new ConcurrentHashMap<>();

    /** The metadata key of a task that asks the model router for a policy by name. */
    public static final String MODEL_POLICY = "model_policy";

    public RunContext(AgentTask task, ChatModel model, ToolRegistry tools, Clock clock) {
        this(task, "", model, tools, clock);
    }

    /** @param framework the id of the framework that implements the run's agent, passed to the model router */
    public RunContext(AgentTask task, String framework, ChatModel model, ToolRegistry tools, Clock clock) {
        this(task, framework, model, tools, null, clock);
    }

    /** @param memory the runtime's memory store, or null when it has none */
    public RunContext(AgentTask task, String framework, ChatModel model, ToolRegistry tools, @Nullable MemoryStore memory,
                      Clock clock) {
        this.task = task;
        this.memory = memory;
        this.framework = framework;
        this.model = model;
        this.tools = tools;
        this.clock = clock;
        this.startNanos = System.nanoTime();
        this.deadline = task.deadlineFrom(clock.instant());
    }

    /**
     * The run's memory: the task's {@linkplain AgentTask#memoryNamespace() namespace}, or
     * {@code default/<agent>} when the task names none. Throws {@link GraftException} when the
     * runtime has no memory store.
     */
    public AgentMemory memory() {
        return memory(ownNamespace());
    }

    /** Another collection of the run's tenant, e.g. a shared knowledge base beside the agent's own memory. */
    public AgentMemory memory(String collection) {
        return memory(new Namespace(ownNamespace().tenant(), collection));
    }

    private Namespace ownNamespace() {
        return task.memory().map(Namespace::parse).orElseGet(() -> new Namespace("default", task.agent()));
    }

    private AgentMemory memory(Namespace namespace) {
        if (memory == null) {
            throw new GraftException("this runtime has no memory store: give one to AgentRuntime.builder(model).memory(store)"
                    + " (the CLI and the server have one unless the server's memory.enabled is false)");
        }
        return memories.computeIfAbsent(namespace, ns -> new AgentMemory(memory, ns));
    }

    public AgentTask task() {
        return task;
    }

    public String runId() {
        return task.id();
    }

    public Instant deadline() {
        return deadline;
    }

    /** Time left before the deadline; zero or negative once it has passed. */
    public Duration remaining() {
        return Duration.between(clock.instant(), deadline);
    }

    public ChatModel model() {
        return model;
    }

    /** The tool specs this run may offer a model. */
    public List<ToolSpec> toolSpecs() {
        return tools.specs(task.tools());
    }

    /** The specs of the named tools, or of the task's tools when {@code names} is empty. */
    public List<ToolSpec> toolSpecs(List<String> names) {
        return names.isEmpty() ? toolSpecs() : tools.specs(names);
    }

    public void addListener(Consumer<RunEvent> listener) {
        listeners.add(listener);
    }

    /** Runs {@code hook} when the run is cancelled or times out, e.g. to interrupt guest code. */
    public void onCancel(Runnable hook) {
        cancelHooks.add(hook);
        if (stopped.get() != null) {
            hook.run();
        }
    }

    /** Stops the run with {@link RunStatus#CANCELLED} or {@link RunStatus#TIMED_OUT}; idempotent. */
    public boolean cancel(RunStatus why) {
        Checks.requireArgument(why == RunStatus.CANCELLED || why == RunStatus.TIMED_OUT,
                "a run is stopped as CANCELLED or TIMED_OUT, not " + why);
        if (!stopped.compareAndSet(null, why)) {
            return false;
        }
        cancelHooks.forEach(Runnable::run);
        return true;
    }

    /** How the run was stopped, if it was. */
    public java.util.Optional<RunStatus> stoppedAs() {
        return java.util.Optional.ofNullable(stopped.get());
    }

    /** Throws {@link RunCancelledException} if the run was stopped or its deadline has passed. */
    public void checkActive() {
        RunStatus why = stopped.get();
        if (why == null && !remaining().isPositive()) {
            cancel(RunStatus.TIMED_OUT);
            why = RunStatus.TIMED_OUT;
        }
        if (why != null) {
            throw new RunCancelledException(why, why == RunStatus.TIMED_OUT
                    ? "run " + runId() + " passed its deadline of " + task.timeout()
                    : "run " + runId() + " was cancelled");
        }
    }

    /** Calls the model for {@code agent} and records the call; tokens stream as events when someone listens. */
    public ChatResponse chat(String agent, ChatRequest request) {
        return call(agent, request, null);
    }

    /**
     * Calls the model for {@code agent}, handing each generated piece of text to {@code onToken}
     * (when given) and to the run's listeners, and records the call.
     */
    public ChatResponse chat(String agent, ChatRequest request, Consumer<String> onToken) {
        return call(agent, request, onToken);
    }

    private ChatResponse call(String agent, ChatRequest request, @Nullable Consumer<String> onToken) {
        checkActive();
        long t0 = System.nanoTime();
        ChatRequest scoped = request.withConversation(runId()).withScope(scope(agent, request.scope()));
        ChatResponse response;
        if (onToken == null && listeners.isEmpty()) {
            response = model.chat(scoped);
        } else {
            response = model.stream(scoped, token -> {
                if (onToken != null) {
                    onToken.accept(token);
                }
                emit(new RunEvent.Token(runId(), agent, token));
            });
        }
        llmCalls.incrementAndGet();
        inputTokens.addAndGet(response.usage().inputTokens());
        outputTokens.addAndGet(response.usage().outputTokens());
        String provider = response.provider().isEmpty() ? response.model() : response.provider();
        providers.merge(provider, new RunMetrics.ProviderUsage(1, response.usage().inputTokens(), response.usage().outputTokens(),
                response.costUsd()), RunMetrics.ProviderUsage::plus);
        record(new Step.LlmCall(agent, response.model(), response.message(), response.usage(), response.finishReason(),
                Duration.ofNanos(System.nanoTime() - t0)));
        checkActive();
        return response;
    }

    /** The caller's own scope, completed with what the run knows: agent, framework, policy, deadline. */
    private CallScope scope(String agent, CallScope given) {
        Instant until = given.deadline().filter(d -> d.isBefore(deadline)).orElse(deadline);
        String policy = given.policy().isEmpty() ? task.metadata().getOrDefault(MODEL_POLICY, "") : given.policy();
        return new CallScope(given.agent().isEmpty() ? agent : given.agent(),
                given.framework().isEmpty() ? framework : given.framework(), policy, Optional.of(until), given.cacheable());
    }

    /**
     * Executes a tool call for {@code agent} and records it. A failing or unknown tool does not end
     * the run: its error text is returned so the model can react, as every framework expects.
     */
    public ToolOutcome callTool(String agent, ToolCall call) {
        checkActive();
        long t0 = System.nanoTime();
        String result;
        boolean error = false;
        try {
            Tool tool = tools.select(task.tools()).stream()
                    .filter(t -> t.name().equals(call.name()))
                    .findFirst()
                    .orElseThrow(() -> new ToolException("unknown tool '" + call.name() + "'"));
            result = tool.call(call.arguments());
        } catch (ToolException e) {
            result = "Error: " + e.getMessage();
            error = true;
        } catch (RuntimeException e) {
            result = "Error: tool '" + call.name() + "' failed: " + e;
            error = true;
        }
        toolCalls.incrementAndGet();
        record(new Step.ToolExecution(agent, call, result, error, Duration.ofNanos(System.nanoTime() - t0)));
        return new ToolOutcome(result, error);
    }

    /** A tool's answer and whether it is an error message. */
    public record ToolOutcome(String text, boolean error) {}

    /** Records a step the agent observed itself, such as a framework message. */
    public void record(Step step) {
        synchronized (steps) {
            steps.add(step);
        }
        emit(new RunEvent.StepRecorded(runId(), step));
    }

    public void recordMessage(String agent, ChatMessage message) {
        record(new Step.Message(agent, message));
    }

    /** Counts a tool call the framework ran itself (a Python tool), which the runtime did not see. */
    public void countToolCall() {
        toolCalls.incrementAndGet();
    }

    public List<Step> steps() {
        synchronized (steps) {
            return List.copyOf(steps);
        }
    }

    public RunMetrics metrics() {
        Map<String, RunMetrics.ProviderUsage> byProvider = Map.copyOf(providers);
        double cost = byProvider.values().stream().mapToDouble(RunMetrics.ProviderUsage::costUsd).sum();
        return new RunMetrics(Duration.ofNanos(System.nanoTime() - startNanos), llmCalls.get(), toolCalls.get(),
                inputTokens.get(), outputTokens.get(), cost, byProvider);
    }

    /**
     * Gives {@code event} to every listener, even when one of them throws; the first failure is
     * thrown after all have had it (a server waits for its listener to see the run's end).
     */
    public void emit(RunEvent event) {
        RuntimeException failed = null;
        for (Consumer<RunEvent> l : listeners) {
            try {
                l.accept(event);
            } catch (RuntimeException e) {
                if (failed == null) {
                    failed = e;
                } else {
                    failed.addSuppressed(e);
                }
            }
        }
        if (failed != null) {
            throw failed;
        }
    }
}
