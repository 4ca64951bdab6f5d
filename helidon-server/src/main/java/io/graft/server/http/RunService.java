package io.graft.server.http;

import io.graft.core.AgentNotFoundException;
import io.graft.core.AgentResult;
import io.graft.core.AgentRuntime;
import io.graft.core.AgentTask;
import io.graft.core.RunEvent;
import io.graft.core.RunHandle;
import io.graft.core.RuntimeOverloadedException;
import io.graft.core.Step;
import io.graft.core.json.Json;
import io.graft.core.json.ResultJson;
import io.graft.core.model.ChatMessage;
import io.graft.core.model.Role;
import io.graft.server.http.RunStore.StoredEvent;
import io.graft.server.http.RunStore.StoredRun;
import io.graft.server.http.RunStore.ThreadMessage;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * Starts runs for tenants and keeps them: every run and every event it reports is written to the
 * {@link RunStore} (events in batches, the last ones with the run's end in one transaction), and
 * live subscribers get the same events in the same order as they happen.
 * A thread's earlier exchanges become the history of the next run on it. No HTTP here.
 */
public final class RunService {
    /** The last event of every run's stream. */
    public static final String FINISHED = "finished";
    /** A model turn's event: its data is the step's JSON, which the run's result embeds. */
    static final String LLM_TURN = "llm_turn";
    /** A conversation message's event: its data is the step's JSON, which the run's result embeds. */
    static final String MESSAGE = "message";
    private static final StoredEvent END = new StoredEvent(-1, "", "");
    private static final System.Logger LOG = System.getLogger(RunService.class.getName());
    /** Events are written in batches of this many while a run goes on (a long run's events reach the store as it runs). */
    private static final int FLUSH_EVERY = 32;

    private final AgentRuntime runtime;
    private final RunStore store;
    private final Clock clock;
    private final MeterRegistry meters;
    private final Map<String, Live> live = new ConcurrentHashMap<>();

    /** What a client asks to run. {@code thread} is empty for a run outside any thread. */
    public record RunRequest(String agent, String input, Map<String, Object> inputs, String thread, Duration timeout,
            Map<String, String> metadata) {}

    /** {@code meters} gets the per-tenant usage counters ({@code graft.tenant.*}). */
    public RunService(AgentRuntime runtime, RunStore store, Clock clock, MeterRegistry meters) {
        this.runtime = runtime;
        this.store = store;
        this.clock = clock;
        this.meters = meters;
    }

    /**
     * Starts a run. Throws {@link AgentNotFoundException} for an unknown agent and
     * {@link RuntimeOverloadedException} when admission is full; nothing is stored then.
     * The run is stored before this returns, unless {@code waited} (the caller waits for the run's
     * end and tells no one its id before): then its start is held back, and a run that ends within
     * a second is stored once, when it ends ({@link RunStore#insertRunLater}).
     */
    public StoredRun start(String tenant, RunRequest request, boolean waited) {
        var agent = runtime.find(request.agent())
                .orElseThrow(() -> new AgentNotFoundException(request.agent(), runtime.agents().stream()
                        .map(io.graft.core.AgentDescriptor::name).toList()));
        String id = newId(clock.instant());
        List<ChatMessage> history = request.thread().isEmpty() ? List.of()
                : store.openThread(tenant, request.thread(), clock.instant()).stream().map(RunService::message).toList();
        // Each tenant's agents remember in the tenant's own namespaces (tenant/agent).
        AgentTask task = new AgentTask(id, request.agent(), request.input(), request.inputs(), history, List.of(),
                tenant + "/" + request.agent(), request.timeout(), request.metadata());
        StoredRun run = new StoredRun(id, tenant, request.agent(), agent.descriptor().framework().id(), RunStore.RUNNING,
                request.thread(), request.input(), clock.instant(), Optional.empty(), Optional.empty());
        // The stored run is its own run.start audit record.
        Live state;
        if (waited) {
            state = new Live(run, store.insertRunLater(run));
        } else {
            store.insertRun(run);
            state = new Live(run, null);
        }
        live.put(id, state);
        try {
            state.handle = runtime.submit(task, state::onEvent);
        } catch (RuntimeException e) {
            live.remove(id);
            store.deleteRun(id);
            throw e;
        }
        return run;
    }

    /**
     * A version 7 UUID (RFC 9562): the creation time in milliseconds, then 74 random bits. Random
     * (version 4) ids landed on random pages of every index keyed by run id, and H2 rewrote each
     * such page at its next store; time-ordered ones fill the last pages, a few per commit.
     */
    public static String newId(Instant now) {
        UUID random = UUID.randomUUID();
        long msb = now.toEpochMilli() << 16 | 0x7000 | (random.getMostSignificantBits() & 0x0FFF);
        return new UUID(msb, random.getLeastSignificantBits()).toString();
    }

    /** The lowest id {@link #newId} can give at {@code at}: every run created earlier sorts below it. */
    static String firstIdAt(Instant at) {
        return new UUID(at.toEpochMilli() << 16, 0).toString();
    }

    /** The run as stored, or as it is now while it is in progress (its start may not be stored yet). */
    public Optional<StoredRun> find(String tenant, String id) {
        Live state = live.get(id);
        if (state != null && state.run.tenant().equals(tenant)) {
            return Optional.of(state.run);
        }
        return store.run(tenant, id);
    }

    public List<StoredRun> list(String tenant, RunStore.RunQuery query) {
        return store.runs(tenant, query);
    }

    /**
     * The run as stored once it has finished, while it is in progress; empty once it has finished
     * (read it from the store). The future completes only after the run's end, all its events and
     * its thread's new messages are stored.
     */
    public Optional<CompletableFuture<StoredRun>> stored(String tenant, String id) {
        Live state = live.get(id);
        if (state == null || !state.run.tenant().equals(tenant)) {
            return Optional.empty();
        }
        return Optional.of(state.stored);
    }

    /** Asks a run in progress to stop; answers false when it is not in progress (finished, or not the tenant's). */
    public boolean cancel(String tenant, String id) {
        Live state = live.get(id);
        if (state == null || !state.run.tenant().equals(tenant) || state.handle == null) {
            return false;
        }
        return state.handle.cancel();
    }

    /** Stops every run in progress (the server is shutting down). */
    public void cancelAll() {
        live.values().forEach(l -> {
            if (l.handle != null) {
                l.handle.cancel();
            }
        });
    }

    public List<ThreadMessage> thread(String tenant, String thread) {
        return store.messages(tenant, thread);
    }

    /**
     * The run's events after {@code afterSeq}: those stored, then live ones as they happen. The feed
     * ends after the {@value #FINISHED} event, or at once for a run that ended without one (interrupted).
     */
    public Feed events(StoredRun run, long afterSeq) {
        Feed feed = new Feed();
        Live state = live.get(run.id());
        if (state != null && state.subscribe(feed, afterSeq)) {
            return feed;
        }
        store.events(run.id(), afterSeq).forEach(feed.queue::add);
        feed.queue.add(END);
        return feed;
    }

    /** A subscriber's queue of events; the writer of a stream drains it at its own pace. */
    public static final class Feed {
        private final BlockingQueue<StoredEvent> queue = new LinkedBlockingQueue<>();

        /** The next event, or empty when the stream has ended; waits at most {@code timeout} (then answers a -2 heartbeat). */
        public Optional<StoredEvent> next(Duration timeout) throws InterruptedException {
            StoredEvent e = queue.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
            if (e == null) {
                return Optional.of(new StoredEvent(-2, "", ""));
            }
            return e == END ? Optional.empty() : Optional.of(e);
        }
    }

    /** A run in progress: its handle, the events so far, and who listens. */
    private final class Live {
        private final StoredRun run;
        /** The run's start when it was queued without waiting; it may be stored together with the end. */
        private final RunStore.@Nullable PendingStart start;
        private volatile RunHandle handle;
        private final List<StoredEvent> events = new ArrayList<>();
        /** Events not yet in the store: written in batches, and with the run's end in one transaction. */
        private final List<StoredEvent> unsaved = new ArrayList<>();
        private final List<Feed> feeds = new ArrayList<>();
        private final CompletableFuture<StoredRun> stored = new CompletableFuture<>();
        /** Steps already written as an event's data: the run's result embeds that JSON instead of writing the step again. */
        private final Map<Step, String> stepJson = Collections.synchronizedMap(new IdentityHashMap<>());
        /** The run has ended: later events (from a stopped agent's thread) are dropped. */
        private boolean ending;
        /** Its end is stored and its finished event published: the stream is over. */
        private boolean done;

        Live(StoredRun run, RunStore.@Nullable PendingStart start) {
            this.run = run;
            this.start = start;
        }

        synchronized boolean subscribe(Feed feed, long afterSeq) {
            for (StoredEvent e : events) {
                if (e.seq() > afterSeq) {
                    feed.queue.add(e);
                }
            }
            if (done) {
                feed.queue.add(END);
            } else {
                feeds.add(feed);
            }
            return true;
        }

        void onEvent(RunEvent event) {
            switch (event) {
                case RunEvent.Started s -> publish("run_started", Json.text(g -> {
                    g.writeStartObject();
                    g.writeStringField("run_id", s.runId());
                    g.writeStringField("agent", s.agent());
                    g.writeStringField("framework", s.framework().id());
                    g.writeEndObject();
                }));
                case RunEvent.Token t -> publish("token", Json.text(g -> {
                    g.writeStartObject();
                    g.writeStringField("agent", t.agent());
                    g.writeStringField("text", t.text());
                    g.writeEndObject();
                }));
                case RunEvent.StepRecorded r -> step(r.step());
                case RunEvent.Finished f -> finish(f.result());
            }
        }

        private void step(Step step) {
            switch (step) {
                case Step.LlmCall c -> stepJson.put(step, publish(LLM_TURN, ResultJson.step(step)));
                case Step.Message m -> stepJson.put(step, publish(MESSAGE, ResultJson.step(step)));
                case Step.ToolExecution t -> {
                    publish("tool_call", Json.text(g -> {
                        g.writeStartObject();
                        g.writeStringField("agent", t.agent());
                        g.writeFieldName("call");
                        ResultJson.toolCall(g, t.call());
                        g.writeEndObject();
                    }));
                    publish("tool_result", ResultJson.step(step, "tool_result"));
                }
            }
        }

        /**
         * Queues the run's end, its last events and its thread's new exchange as one write and
         * returns: the agent's thread (or the deadline timer's) does not wait for the commit.
         * {@link #stored} completes from the commit, as the run is answered.
         */
        private void finish(AgentResult result) {
            StoredRun end = run;
            StoredEvent last = null;
            CompletableFuture<Void> written;
            try {
                String json = ResultJson.result(result, stepJson::get);
                end = run.ended(result.status().name(), clock.instant(), json);
                List<ThreadMessage> exchange = run.thread().isEmpty() || !result.completed() ? List.of() : List.of(
                        new ThreadMessage(Role.USER.id(), run.input(), run.id()),
                        new ThreadMessage(Role.ASSISTANT.id(), result.output(), run.id()));
                List<RunStore.ProviderUse> usage = usage(run.tenant(), result);
                synchronized (this) {
                    // Not in `events` until it is stored: a subscriber from now on waits for it.
                    last = new StoredEvent(events.size() + 1, FINISHED, json);
                    ending = true;
                    List<StoredEvent> rest = new ArrayList<>(unsaved);
                    rest.add(last);
                    unsaved.clear();
                    written = store.finishRunLater(run, start, end.status(), end.finishedAt().orElseThrow(), json, rest,
                            usage, exchange);
                }
            } catch (RuntimeException e) {
                // Waiters wait for the end without a timeout of their own: it must come, stored or not.
                written = CompletableFuture.failedFuture(e);
            }
            StoredRun ended = end;
            StoredEvent finished = last;
            written.whenComplete((ok, failed) -> ended(ended, finished, failed));
        }

        /**
         * The run's end is stored (or could not be): it leaves the live runs, its finished event
         * goes out, and its waiters get it, in that order, so whoever sees the end reads it from
         * the store. Runs on the store's writer thread, so it never waits.
         */
        private void ended(StoredRun end, @Nullable StoredEvent last, @Nullable Throwable failed) {
            if (failed != null) {
                LOG.log(System.Logger.Level.ERROR, "cannot store the end of run " + run.id(), failed);
            }
            live.remove(run.id());
            synchronized (this) {
                ending = true;
                if (last != null) {
                    events.add(last);
                }
                feeds.forEach(f -> {
                    if (last != null) {
                        f.queue.add(last);
                    }
                    f.queue.add(END);
                });
                feeds.clear();
                done = true;
            }
            if (failed == null) {
                stored.complete(end);
            } else {
                stored.completeExceptionally(new StoreException("the end of run " + run.id() + " was not stored"));
            }
        }

        /** Publishes an event with {@code json} as its data; answers it. */
        private String publish(String type, String json) {
            synchronized (this) {
                publishLocked(type, json);
            }
            return json;
        }

        private void publishLocked(String type, String json) {
            if (ending) {
                return; // a stopped agent's thread may still report steps; the stream has ended
            }
            StoredEvent e = next(type, json);
            feeds.forEach(f -> f.queue.add(e));
            if (unsaved.size() >= FLUSH_EVERY) {
                flush();
            }
        }

        private StoredEvent next(String type, String json) {
            StoredEvent e = new StoredEvent(events.size() + 1, type, json);
            events.add(e);
            unsaved.add(e);
            return e;
        }

        private void flush() {
            try {
                store.appendEvents(run.id(), unsaved);
                unsaved.clear();
            } catch (StoreException failed) {
                // The run goes on and live subscribers still get the events; the next flush retries.
                LOG.log(System.Logger.Level.ERROR, "cannot store events of run " + run.id(), failed);
            }
        }
    }

    /** What the run's model calls used per provider; also counted in the tenant's meters. */
    private List<RunStore.ProviderUse> usage(String tenant, AgentResult result) {
        List<RunStore.ProviderUse> out = new ArrayList<>();
        result.metrics().providers().forEach((provider, u) -> {
            out.add(new RunStore.ProviderUse(provider, u.calls(), u.inputTokens(), u.outputTokens(), u.costUsd()));
            Tags tags = Tags.of("tenant", tenant, "provider", provider);
            count("graft.tenant.llm.calls", tags, null, "Model calls of the tenant's runs", u.calls());
            count("graft.tenant.tokens", tags.and("direction", "in"), "tokens", "Tokens of the tenant's runs", u.inputTokens());
            count("graft.tenant.tokens", tags.and("direction", "out"), "tokens", "Tokens of the tenant's runs", u.outputTokens());
            count("graft.tenant.cost", tags, "usd", "Cost of the tenant's runs by the configured prices", u.costUsd());
        });
        return out;
    }

    private void count(String name, Tags tags, @Nullable String unit, String description, double amount) {
        Counter.builder(name).tags(tags).baseUnit(unit).description(description).register(meters).increment(amount);
    }

    private static ChatMessage message(ThreadMessage m) {
        return m.role().equals(Role.ASSISTANT.id()) ? ChatMessage.assistant(m.content()) : ChatMessage.user(m.content());
    }
}
