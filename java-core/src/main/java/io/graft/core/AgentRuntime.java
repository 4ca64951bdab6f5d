package io.graft.core;

import io.graft.core.memory.MemoryStore;
import io.graft.core.model.ChatModel;
import io.graft.core.tool.ToolRegistry;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * Finds agents by name and runs them: each run on its own virtual thread, admitted against a
 * bound, stopped at its deadline, counted in Micrometer metrics.
 *
 * <p>A run that passes its deadline completes as {@link RunStatus#TIMED_OUT} at the deadline; the
 * agent's thread is asked to stop (cancel hooks interrupt guest code) and its late answer is dropped.
 */
public final class AgentRuntime implements AutoCloseable, MeterBinder {
    private static final System.Logger LOG = System.getLogger(AgentRuntime.class.getName());
    private final Map<String, Agent> agents = new ConcurrentHashMap<>();
    private final ChatModel model;
    private final ToolRegistry tools;
    private final Clock clock;
    private final @Nullable MemoryStore memory;
    private final Semaphore admission;
    private final int maxInFlight;
    private final AtomicInteger active = new AtomicInteger();
    private final List<Consumer<RunEvent>> listeners = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final ExecutorService runners = Executors.newVirtualThreadPerTaskExecutor();
    private final Deadlines deadlines = new Deadlines("graft-deadlines");
    private volatile MeterRegistry meters = new SimpleMeterRegistry();

    /** Deadlines of runs in progress (for tests: ended runs leave none behind). */
    int pendingDeadlines() {
        return deadlines.size();
    }

    private AgentRuntime(Builder b) {
        this.model = b.model;
        this.tools = b.tools;
        this.clock = b.clock;
        this.memory = b.memory;
        this.maxInFlight = b.maxInFlight;
        this.admission = new Semaphore(b.maxInFlight);
    }

    public static Builder builder(ChatModel model) {
        return new Builder(model);
    }

    /** Configures a runtime; every setting has a default but the model. */
    public static final class Builder {
        private final ChatModel model;
        private ToolRegistry tools = ToolRegistry.builtIns(Clock.systemUTC());
        private Clock clock = Clock.systemUTC();
        private int maxInFlight = 10_000;
        private @Nullable MemoryStore memory;

        private Builder(ChatModel model) {
            this.model = Objects.requireNonNull(model, "model");
        }

        public Builder tools(ToolRegistry tools) {
            this.tools = Objects.requireNonNull(tools, "tools");
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * The store behind every run's {@link RunContext#memory()}. The runtime does not own it:
         * whoever opened the store closes it after the runtime.
         */
        public Builder memory(MemoryStore memory) {
            this.memory = Objects.requireNonNull(memory, "memory");
            return this;
        }

        /** Runs admitted at once; one more is refused with {@link RuntimeOverloadedException}. */
        public Builder maxInFlight(int maxInFlight) {
            this.maxInFlight = Checks.requirePositive(maxInFlight, "maxInFlight");
            return this;
        }

        public AgentRuntime build() {
            return new AgentRuntime(this);
        }
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        this.meters = registry;
        registry.gauge("graft.runs.active", active);
        registry.gauge("graft.runs.capacity", admission, Semaphore::availablePermits);
    }

    public ChatModel model() {
        return model;
    }

    public ToolRegistry tools() {
        return tools;
    }

    public Optional<MemoryStore> memory() {
        return Optional.ofNullable(memory);
    }

    public void register(Agent agent) {
        agents.put(agent.name(), agent);
    }

    public Optional<Agent> unregister(String name) {
        return Optional.ofNullable(agents.remove(name));
    }

    public Optional<Agent> find(String name) {
        return Optional.ofNullable(agents.get(name));
    }

    public Collection<AgentDescriptor> agents() {
        return agents.values().stream().map(Agent::descriptor).sorted(java.util.Comparator.comparing(AgentDescriptor::name)).toList();
    }

    /** Listens to the events of every run. */
    public void addListener(Consumer<RunEvent> listener) {
        listeners.add(listener);
    }

    /** Runs a task and waits for its result. */
    public AgentResult run(AgentTask task) {
        return submit(task, e -> {}).join();
    }

    /**
     * Starts a run. Throws {@link AgentNotFoundException} for an unknown agent and
     * {@link RuntimeOverloadedException} when {@code maxInFlight} runs are already in progress, or the
     * agent's {@link Admission} (its Python pool, say) has no place left.
     */
    public RunHandle submit(AgentTask task, Consumer<RunEvent> listener) {
        Agent agent = find(task.agent()).orElseThrow(() -> new AgentNotFoundException(task.agent(), agents.keySet()));
        if (!admission.tryAcquire()) {
            meters.counter("graft.runs.rejected").increment();
            throw new RuntimeOverloadedException(maxInFlight + " runs are in progress; try again later");
        }
        Admission place = agent.admission();
        if (!place.tryEnter()) {
            admission.release();
            meters.counter("graft.runs.rejected").increment();
            throw new RuntimeOverloadedException(place.full() + "; try again later");
        }
        AgentDescriptor descriptor = agent.descriptor();
        RunContext run = new RunContext(task, descriptor.framework().id(), model, tools, memory, clock);
        listeners.forEach(run::addListener);
        run.addListener(listener);
        CompletableFuture<AgentResult> result = new CompletableFuture<>();
        active.incrementAndGet();
        run.emit(new RunEvent.Started(run.runId(), descriptor.name(), descriptor.framework()));

        Deadlines.Deadline deadline = deadlines.add(run.remaining(), () -> run.cancel(RunStatus.TIMED_OUT));
        run.onCancel(() -> result.complete(stoppedResult(descriptor, run)));
        // Callers see the result only once it is counted and announced.
        CompletableFuture<AgentResult> finished = result.whenComplete((r, e) -> {
            deadlines.remove(deadline);
            place.leave();
            admission.release();
            active.decrementAndGet();
            record(descriptor, r);
            endConversation(model, run.runId());
            run.emit(new RunEvent.Finished(run.runId(), r));
        });
        runners.execute(() -> result.complete(execute(agent, descriptor, run)));
        return new RunHandle(run, finished);
    }

    private AgentResult execute(Agent agent, AgentDescriptor descriptor, RunContext run) {
        AgentTask task = run.task();
        try {
            run.checkActive();
            AgentResult answer = agent.execute(task, run);
            if (run.stoppedAs().isPresent()) {
                return stoppedResult(descriptor, run);
            }
            List<Step> steps = answer.steps().isEmpty() ? run.steps()
                    : java.util.stream.Stream.concat(run.steps().stream(), answer.steps().stream()).toList();
            return answer.withSteps(steps).withMetrics(run.metrics());
        } catch (RunCancelledException e) {
            return stoppedResult(descriptor, run);
        } catch (AgentFailedException e) {
            return run.stoppedAs().isPresent() ? stoppedResult(descriptor, run)
                    : AgentResult.failed(task, descriptor.framework(), RunStatus.FAILED, e.error(), run.steps()).withMetrics(run.metrics());
        } catch (RuntimeException | StackOverflowError e) {
            return run.stoppedAs().isPresent() ? stoppedResult(descriptor, run)
                    : AgentResult.failed(task, descriptor.framework(), RunStatus.FAILED, AgentError.of(e), run.steps()).withMetrics(run.metrics());
        }
    }

    /**
     * Tells {@code model} that the run's conversation has ended (see {@link ChatModel#conversationEnded}).
     * A model that fails at it is logged: the run has its result, and the result must still go out.
     */
    public static void endConversation(ChatModel model, String conversation) {
        try {
            model.conversationEnded(conversation);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "model " + model.name() + " failed to end conversation " + conversation, e);
        }
    }

    private static AgentResult stoppedResult(AgentDescriptor descriptor, RunContext run) {
        RunStatus status = run.stoppedAs().orElse(RunStatus.CANCELLED);
        String message = status == RunStatus.TIMED_OUT
                ? "run passed its deadline of " + run.task().timeout()
                : "run was cancelled";
        return AgentResult.failed(run.task(), descriptor.framework(), status,
                new AgentError(status.name(), message, ""), run.steps()).withMetrics(run.metrics());
    }

    private void record(AgentDescriptor agent, AgentResult result) {
        String framework = agent.framework().id();
        String status = result.status().name();
        Counter.builder("graft.runs")
                .description("Runs by agent, framework and final status")
                .tags("agent", agent.name(), "framework", framework, "status", status)
                .register(meters)
                .increment();
        Timer.builder("graft.run.latency")
                .description("Wall time of runs")
                .tags("framework", framework, "status", status)
                .publishPercentileHistogram()
                .register(meters)
                .record(result.metrics().wallTime());
    }

    /** Runs in progress now. */
    public int activeRuns() {
        return active.get();
    }

    @Override
    public void close() {
        deadlines.close();
        runners.shutdownNow();
        try {
            runners.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
