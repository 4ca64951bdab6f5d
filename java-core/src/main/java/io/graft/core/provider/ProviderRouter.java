package io.graft.core.provider;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.graft.core.Checks;
import io.graft.core.model.CallScope;
import io.graft.core.model.ChatMessage;
import io.graft.core.model.ChatModel;
import io.graft.core.model.ChatRequest;
import io.graft.core.model.ChatResponse;
import io.graft.core.model.ModelException;
import io.graft.core.model.ToolSpec;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * A {@link ChatModel} in front of several providers: for each call it picks a policy (from the
 * request, the agent, the framework, or the default), orders the policy's targets by its strategy,
 * and calls them until one answers, with a circuit breaker and a concurrency limit per target,
 * exponential backoff that honours {@code Retry-After} and never waits past the call's deadline,
 * optional hedging, and an optional cache of deterministic answers.
 *
 * <p>Because it is a {@code ChatModel}, every framework bridge and native agent uses it unchanged.
 */
public final class ProviderRouter implements ChatModel, MeterBinder, AutoCloseable {
    private static final String CACHE_PROVIDER = "cache";

    private final String name;
    private final Map<String, Slot> slots;
    private final Map<String, RoutingPolicy> policies;
    private final String defaultPolicy;
    private final Map<String, String> agentPolicies;
    private final Map<String, String> frameworkPolicies;
    private final Backoff backoff;
    private final Duration defaultTimeout;
    private final Clock clock;
    private final Sleeper sleeper;
    private final @Nullable Cache<CacheKey, ChatResponse> cache;
    private final Map<String, WeightedState> weighted = new ConcurrentHashMap<>();
    private final ExecutorService hedges = Executors.newVirtualThreadPerTaskExecutor();
    private volatile Meters meters;

    /** Waits between retry rounds; tests replace it to move a fake clock instead of sleeping. */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(Duration d) throws InterruptedException;
    }

    private ProviderRouter(Builder b) {
        this.name = b.name;
        Map<String, Slot> s = new LinkedHashMap<>();
        b.targets.forEach(t -> s.put(t.id(), new Slot(t, new CircuitBreaker(t.breaker(), b.clock))));
        this.slots = Map.copyOf(s);
        this.policies = Map.copyOf(b.policies);
        Checks.requireArgument(!policies.isEmpty(), "a router needs at least one policy");
        for (RoutingPolicy p : policies.values()) {
            for (String t : p.targets()) {
                Checks.requireArgument(slots.containsKey(t), "policy '" + p.name() + "' names unknown target '" + t
                        + "'; known targets: " + slots.keySet().stream().sorted().toList());
            }
        }
        this.defaultPolicy = b.defaultPolicy.isEmpty() ? b.policies.keySet().iterator().next() : b.defaultPolicy;
        this.agentPolicies = Map.copyOf(b.agentPolicies);
        this.frameworkPolicies = Map.copyOf(b.frameworkPolicies);
        for (String p : concat(List.of(defaultPolicy), agentPolicies.values(), frameworkPolicies.values())) {
            Checks.requireArgument(policies.containsKey(p), "unknown policy '" + p + "'; known policies: "
                    + policies.keySet().stream().sorted().toList());
        }
        this.backoff = b.backoff;
        this.defaultTimeout = b.defaultTimeout;
        this.clock = b.clock;
        this.sleeper = b.sleeper;
        this.cache = b.cacheSize <= 0 ? null : Caffeine.newBuilder().maximumSize(b.cacheSize).expireAfterWrite(b.cacheTtl).build();
        this.meters = new Meters(new SimpleMeterRegistry());
    }

    @SafeVarargs
    private static List<String> concat(java.util.Collection<String>... parts) {
        List<String> out = new ArrayList<>();
        for (var p : parts) {
            out.addAll(p);
        }
        return out;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Configures a router: targets and policies are required, the rest has defaults. */
    public static final class Builder {
        private String name = "router";
        private final List<ProviderTarget> targets = new ArrayList<>();
        private final Map<String, RoutingPolicy> policies = new LinkedHashMap<>();
        private String defaultPolicy = "";
        private final Map<String, String> agentPolicies = new LinkedHashMap<>();
        private final Map<String, String> frameworkPolicies = new LinkedHashMap<>();
        private Backoff backoff = Backoff.DEFAULT;
        private Duration defaultTimeout = Duration.ofMinutes(2);
        private Clock clock = Clock.systemUTC();
        private Sleeper sleeper = d -> Thread.sleep(d.toMillis(), d.toNanosPart() % 1_000_000);
        private long cacheSize;
        private Duration cacheTtl = Duration.ofMinutes(10);

        private Builder() {}

        public Builder name(String name) {
            this.name = Checks.requireNonBlank(name, "router name");
            return this;
        }

        public Builder target(ProviderTarget target) {
            Checks.requireArgument(targets.stream().noneMatch(t -> t.id().equals(target.id())), "target '" + target.id() + "' is defined twice");
            targets.add(target);
            return this;
        }

        /** Adds a policy; the first one added is the default unless {@link #defaultPolicy} says otherwise. */
        public Builder policy(RoutingPolicy policy) {
            policies.put(policy.name(), policy);
            return this;
        }

        public Builder defaultPolicy(String name) {
            this.defaultPolicy = name;
            return this;
        }

        /** Calls made by agent {@code agent} use {@code policy} unless the request names one. */
        public Builder agentPolicy(String agent, String policy) {
            agentPolicies.put(agent, policy);
            return this;
        }

        /** Calls from agents of {@code framework} ({@code native}, {@code langchain}, ...) use {@code policy}, below agent preferences. */
        public Builder frameworkPolicy(String framework, String policy) {
            frameworkPolicies.put(framework, policy);
            return this;
        }

        public Builder backoff(Backoff backoff) {
            this.backoff = Objects.requireNonNull(backoff, "backoff");
            return this;
        }

        /** The deadline of calls whose request carries none. */
        public Builder defaultTimeout(Duration timeout) {
            this.defaultTimeout = Checks.requirePositive(timeout, "defaultTimeout");
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        public Builder sleeper(Sleeper sleeper) {
            this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
            return this;
        }

        /** Enables the response cache for deterministic calls: at most {@code maxEntries} answers, each kept for {@code ttl}. */
        public Builder cache(long maxEntries, Duration ttl) {
            Checks.requireArgument(maxEntries > 0, "cache maxEntries must be positive, was " + maxEntries);
            this.cacheSize = maxEntries;
            this.cacheTtl = Checks.requirePositive(ttl, "cache ttl");
            return this;
        }

        public ProviderRouter build() {
            return new ProviderRouter(this);
        }
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        this.meters = new Meters(registry);
    }

    /** The breaker state of a target, for health reports and tests. */
    public CircuitBreaker.State breakerState(String targetId) {
        Slot s = slots.get(targetId);
        if (s == null) {
            throw new ModelException("unknown target '" + targetId + "'; known targets: " + slots.keySet().stream().sorted().toList());
        }
        return s.breaker.state();
    }

    /** The policy a call with this scope uses: the request's, else the agent's, else the framework's, else the default. */
    public RoutingPolicy policyFor(CallScope scope) {
        String p = !scope.policy().isEmpty() ? scope.policy()
                : agentPolicies.getOrDefault(scope.agent(), frameworkPolicies.getOrDefault(scope.framework(), defaultPolicy));
        RoutingPolicy policy = policies.get(p);
        if (policy == null) {
            throw new ModelException("the call asks for routing policy '" + p + "', which is not configured; known policies: "
                    + policies.keySet().stream().sorted().toList());
        }
        return policy;
    }

    @Override
    public ChatResponse chat(ChatRequest request) {
        return route(request, null);
    }

    /** Passes the end on to every target's client: any of them may have served the conversation. */
    @Override
    public void conversationEnded(String conversation) {
        slots.values().forEach(s -> s.target.client().conversationEnded(conversation));
    }

    @Override
    public ChatResponse stream(ChatRequest request, Consumer<String> onToken) {
        return route(request, onToken);
    }

    private ChatResponse route(ChatRequest request, @Nullable Consumer<String> onToken) {
        RoutingPolicy policy = policyFor(request.scope());
        Meters m = meters;
        CacheKey key = cache != null && cacheable(request) ? new CacheKey(policy.name(), request.messages(), request.tools(), request.options()) : null;
        if (key != null) {
            ChatResponse hit = cache.getIfPresent(key);
            m.cache(hit != null);
            if (hit != null) {
                if (onToken != null && !hit.message().content().isEmpty()) {
                    onToken.accept(hit.message().content());
                }
                return hit.served(CACHE_PROVIDER, 0);
            }
        }
        ChatResponse response = execute(request, policy, onToken, m);
        if (key != null) {
            cache.put(key, response);
        }
        return response;
    }

    private static boolean cacheable(ChatRequest request) {
        return request.scope().cacheable() || request.options().get("temperature") instanceof Number t && t.doubleValue() == 0;
    }

    private ChatResponse execute(ChatRequest request, RoutingPolicy policy, @Nullable Consumer<String> onToken, Meters m) {
        Instant now = clock.instant();
        Instant deadline = request.scope().deadline().orElse(now.plus(defaultTimeout));
        ChatRequest scoped = request.withScope(request.scope().withDeadline(deadline));
        List<Slot> candidates = order(policy, request);
        if (candidates.isEmpty()) {
            throw new ModelException("no target of policy '" + policy.name() + "' can serve this call: it needs "
                    + needs(policy, request) + " and the targets are " + policy.targets());
        }
        Map<Slot, Instant> coolUntil = new LinkedHashMap<>();
        Set<Slot> excluded = new HashSet<>();
        Set<Slot> triedThisRound = new HashSet<>();
        @Nullable ProviderException last = null;
        int round = 0;
        for (int attempt = 0; attempt < policy.maxAttempts(); ) {
            now = clock.instant();
            if (!now.isBefore(deadline)) {
                throw deadlineError(policy, last, "the deadline passed after " + attempt + " attempt(s)");
            }
            Slot slot = pick(candidates, excluded, triedThisRound, coolUntil, now, true);
            if (slot == null || !slot.permits.tryAcquire()) {
                // Every usable target is at its concurrency limit: wait for the first one, up to the deadline.
                Slot busy = pick(candidates, excluded, triedThisRound, coolUntil, now, false);
                if (busy != null) {
                    if (!acquire(busy.permits, deadline)) {
                        throw unavailable(policy, "every target is at its concurrency limit until the deadline");
                    }
                    slot = busy;
                }
            }
            if (slot == null) {
                Instant resume = resumeAt(candidates, excluded, coolUntil, now, round);
                if (resume == null) {
                    throw last != null ? last : unavailable(policy, "no target is left to try");
                }
                if (!resume.isBefore(deadline)) {
                    throw deadlineError(policy, last, "not retried: the next attempt could start only in "
                            + Duration.between(now, resume).toMillis() + " ms, after the call's deadline");
                }
                pause(Duration.between(now, resume));
                triedThisRound.clear();
                round++;
                continue;
            }
            if (!slot.breaker.tryAcquire()) {
                slot.permits.release();
                triedThisRound.add(slot);
                continue;
            }
            attempt++;
            if (attempt > 1) {
                m.retry(slot);
            }
            try {
                if (policy.hedgeAfter().isPresent()) {
                    return hedged(scoped, slot, policy.hedgeAfter().get(), candidates, excluded, deadline, onToken, m);
                }
                return call(slot, scoped, onToken, m);
            } catch (ProviderException e) {
                last = e;
                if (e.tokensEmitted() || e.kind() == ErrorKind.BAD_REQUEST || e.kind() == ErrorKind.DEADLINE_EXCEEDED) {
                    throw e;
                }
                if (e.kind() == ErrorKind.AUTH) {
                    excluded.add(slot);
                }
                Slot failedSlot = slot;
                e.retryAfter().ifPresent(d -> coolUntil.put(failedSlot, clock.instant().plus(d)));
                triedThisRound.add(slot);
            }
        }
        throw Objects.requireNonNull(last, "an attempt was made");
    }

    /** Calls one target, holding its permit (taken by the caller) and breaker slot; records metrics. */
    private ChatResponse call(Slot slot, ChatRequest request, @Nullable Consumer<String> onToken, Meters m) {
        return call(slot, request, onToken, null, m);
    }

    /** @param lost set when this call is a hedge that another target beat, so its cancellation is a loss, not a neutral stop */
    private ChatResponse call(Slot slot, ChatRequest request, @Nullable Consumer<String> onToken,
            java.util.concurrent.atomic.@Nullable AtomicBoolean lost, Meters m) {
        long t0 = System.nanoTime();
        slot.inFlight.incrementAndGet();
        try {
            ChatResponse r = onToken == null ? slot.target.client().chat(request) : slot.target.client().stream(request, onToken);
            long nanos = System.nanoTime() - t0;
            slot.breaker.onSuccess();
            slot.observe(nanos);
            double cost = slot.target.price().cost(r.usage());
            m.success(slot, nanos, r, cost);
            return r.served(slot.target.provider(), cost);
        } catch (ProviderException e) {
            return failed(slot, e, t0, lost, m);
        } catch (io.graft.core.GraftException | IllegalArgumentException e) {
            // A client that is not an HTTP one (or a reply our records reject) failed: treat it as a malformed answer.
            return failed(slot, ProviderException.of(slot.target.provider(), ErrorKind.MALFORMED_RESPONSE,
                    Objects.requireNonNullElse(e.getMessage(), e.getClass().getSimpleName()), e), t0, lost, m);
        } finally {
            slot.inFlight.decrementAndGet();
            slot.permits.release();
        }
    }

    private ChatResponse failed(Slot slot, ProviderException e, long t0, java.util.concurrent.atomic.@Nullable AtomicBoolean lost,
            Meters m) {
        boolean cancelled = Thread.currentThread().isInterrupted();
        boolean hedgeLost = cancelled && lost != null && lost.get();
        String kind;
        if (hedgeLost) {
            // Had a head start of hedge_after and was still beaten: a target that keeps losing is as
            // good as down, so losses count (a success resets the count). Without this a hanging
            // provider would hold every call for hedge_after forever.
            slot.breaker.onFailure();
            kind = "hedge_lost";
        } else if (cancelled) {
            slot.breaker.onRelease();
            kind = "cancelled";
        } else {
            if (e.kind().breakerFailure()) {
                slot.breaker.onFailure();
            } else {
                slot.breaker.onRelease();
            }
            kind = e.kind().id();
        }
        m.failure(slot, kind, System.nanoTime() - t0);
        throw e;
    }

    /**
     * Sends to {@code first}; if it has not answered (or, streaming, not produced its first token)
     * after {@code after}, sends to the next usable target too. The first to answer or to stream a
     * token wins; the other is cancelled and its tokens never reach the caller.
     */
    private ChatResponse hedged(ChatRequest request, Slot first, Duration after, List<Slot> candidates, Set<Slot> excluded,
            Instant deadline, @Nullable Consumer<String> onToken, Meters m) {
        ExecutorCompletionService<ChatResponse> race = new ExecutorCompletionService<>(hedges);
        List<Entrant> running = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.concurrent.atomic.AtomicInteger winner = new java.util.concurrent.atomic.AtomicInteger(-1);
        running.add(enter(race, 0, first, request, onToken, winner, running, m));
        @Nullable ProviderException failure = null;
        try {
            Future<ChatResponse> done = race.poll(Math.min(after.toNanos(), left(deadline)), TimeUnit.NANOSECONDS);
            if (done == null && winner.get() < 0) {
                for (Slot second : candidates) {
                    if (second == first || excluded.contains(second) || !second.permits.tryAcquire()) {
                        continue;
                    }
                    if (!second.breaker.tryAcquire()) {
                        second.permits.release();
                        continue;
                    }
                    m.hedge(second);
                    running.add(enter(race, 1, second, request, onToken, winner, running, m));
                    break;
                }
            }
            int pending = running.size();
            while (pending > 0) {
                Future<ChatResponse> f = done != null ? done : race.poll(left(deadline), TimeUnit.NANOSECONDS);
                done = null;
                if (f == null) {
                    throw ProviderException.of(first.target.provider(), ErrorKind.TIMEOUT, "no hedged attempt answered before the deadline");
                }
                pending--;
                int index = indexOf(running, f);
                try {
                    ChatResponse r = f.get();
                    if (winner.compareAndSet(-1, index) || winner.get() == index) {
                        cancel(running, index);
                        return r;
                    }
                } catch (java.util.concurrent.CancellationException e) {
                    // the loser, cancelled once the winner streamed its first token
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof ProviderException pe)) {
                        throw new ModelException("hedged call failed: " + e.getCause(), e.getCause());
                    }
                    if (winner.get() == index || pe.tokensEmitted()) {
                        throw pe;
                    }
                    if (winner.get() < 0) {
                        failure = pe;
                    }
                }
            }
            throw Objects.requireNonNullElseGet(failure,
                    () -> ProviderException.of(first.target.provider(), ErrorKind.UNAVAILABLE, "every hedged attempt was cancelled"));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ProviderException.of(first.target.provider(), ErrorKind.TIMEOUT, "interrupted while waiting for a hedged call", e);
        } finally {
            cancel(running, -1);
        }
    }

    private static int indexOf(List<Entrant> running, Future<ChatResponse> f) {
        for (Entrant e : running) {
            if (e.future == f) {
                return e.index;
            }
        }
        return -1;
    }

    /**
     * Cancels every entrant but {@code keep}, marking the earlier ones lost when {@code keep} won;
     * one cancelled before it started gives back what the caller took for it.
     */
    private static void cancel(List<Entrant> running, int keep) {
        for (Entrant e : running) {
            if (e.index == keep) {
                continue;
            }
            // Only an entrant that started before the winner lost on speed; the hedge itself started
            // hedge_after late, so losing says nothing about its provider.
            if (keep >= 0 && e.index < keep) {
                e.lost.set(true);
            }
            e.future.cancel(true);
            if (e.claimed.compareAndSet(false, true)) {
                e.slot.permits.release();
                e.slot.breaker.onRelease();
            }
        }
    }

    /** A hedged attempt; {@code claimed} is set by whoever first owns its permit: the task when it starts, or the cleanup. */
    private record Entrant(int index, Slot slot, Future<ChatResponse> future, java.util.concurrent.atomic.AtomicBoolean claimed,
            java.util.concurrent.atomic.AtomicBoolean lost) {}

    private Entrant enter(ExecutorCompletionService<ChatResponse> race, int index, Slot slot, ChatRequest request,
            @Nullable Consumer<String> onToken, java.util.concurrent.atomic.AtomicInteger winner, List<Entrant> running, Meters m) {
        var claimed = new java.util.concurrent.atomic.AtomicBoolean();
        var lost = new java.util.concurrent.atomic.AtomicBoolean();
        // Only the winner's tokens pass; the first token decides the winner and cancels the other.
        Consumer<String> gate = onToken == null ? null : token -> {
            if (winner.compareAndSet(-1, index)) {
                cancel(running, index);
            }
            if (winner.get() == index) {
                onToken.accept(token);
            }
        };
        Future<ChatResponse> f = race.submit(() -> {
            if (!claimed.compareAndSet(false, true)) {
                throw ProviderException.of(slot.target.provider(), ErrorKind.UNAVAILABLE, "hedged attempt cancelled before it started");
            }
            return call(slot, request, gate, lost, m);
        });
        return new Entrant(index, slot, f, claimed, lost);
    }

    private long left(Instant deadline) {
        return Math.max(0, Duration.between(clock.instant(), deadline).toNanos());
    }

    private boolean acquire(Semaphore permits, Instant deadline) {
        try {
            return permits.tryAcquire(left(deadline), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private void pause(Duration d) {
        try {
            sleeper.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ModelException("interrupted while waiting to retry a model call", e);
        }
    }

    /**
     * The first candidate not excluded, not tried this round, not cooling down, whose breaker is not
     * open, and (when {@code free}) below its concurrency limit.
     */
    private static @Nullable Slot pick(List<Slot> candidates, Set<Slot> excluded, Set<Slot> tried, Map<Slot, Instant> coolUntil,
            Instant now, boolean free) {
        for (Slot s : candidates) {
            if (excluded.contains(s) || tried.contains(s) || (free && s.permits.availablePermits() == 0)) {
                continue;
            }
            Instant cool = coolUntil.get(s);
            if (cool != null && now.isBefore(cool)) {
                continue;
            }
            if (s.breaker.state() == CircuitBreaker.State.OPEN) {
                continue;
            }
            return s;
        }
        return null;
    }

    /** When the next round may start: after the backoff, and not before some target's cool-down or breaker wait ends. */
    private @Nullable Instant resumeAt(List<Slot> candidates, Set<Slot> excluded, Map<Slot, Instant> coolUntil, Instant now, int round) {
        Instant earliest = null;
        for (Slot s : candidates) {
            if (excluded.contains(s)) {
                continue;
            }
            Instant ready = s.breaker.nextAttemptAt();
            Instant cool = coolUntil.get(s);
            if (cool != null && cool.isAfter(ready)) {
                ready = cool;
            }
            if (earliest == null || ready.isBefore(earliest)) {
                earliest = ready;
            }
        }
        if (earliest == null) {
            return null;
        }
        Instant afterBackoff = now.plus(backoff.delay(round));
        return earliest.isAfter(afterBackoff) ? earliest : afterBackoff;
    }

    /** The policy's usable targets in the order its strategy gives. */
    private List<Slot> order(RoutingPolicy policy, ChatRequest request) {
        boolean tools = policy.requireTools() || !request.tools().isEmpty();
        long context = Math.max(policy.minContext(), estimateTokens(request));
        List<Slot> usable = new ArrayList<>(policy.targets().size());
        for (String id : policy.targets()) {
            Slot s = slots.get(id);
            ProviderTarget t = s.target;
            if ((tools && !t.toolCalling()) || (t.contextWindow() > 0 && t.contextWindow() < context)) {
                continue;
            }
            usable.add(s);
        }
        if (usable.size() < 2) {
            return usable;
        }
        return switch (policy.strategy()) {
            case PRIORITY -> usable;
            case CHEAPEST -> usable.stream().sorted(Comparator.comparingDouble(s -> s.target.price().blended())).toList();
            case LATENCY -> usable.stream().sorted(Comparator.comparingDouble(Slot::latency)).toList();
            case WEIGHTED -> weighted.computeIfAbsent(policy.name(), k -> new WeightedState()).order(usable);
        };
    }

    private static String needs(RoutingPolicy policy, ChatRequest request) {
        boolean tools = policy.requireTools() || !request.tools().isEmpty();
        long context = Math.max(policy.minContext(), estimateTokens(request));
        return (tools ? "tool calling and " : "") + "a context of at least " + context + " tokens";
    }

    /** A rough prompt size (four characters a token), enough to skip models whose window is clearly too small. */
    static long estimateTokens(ChatRequest request) {
        long chars = 0;
        for (ChatMessage m : request.messages()) {
            chars += m.content().length() + 4;
        }
        for (ToolSpec t : request.tools()) {
            chars += t.description().length() + t.name().length() + 32L * t.parameters().size();
        }
        return (chars + 3) / 4;
    }

    private ProviderException deadlineError(RoutingPolicy policy, @Nullable ProviderException last, String why) {
        String provider = last != null ? last.provider() : policy.name();
        String lastText = last != null ? "; last failure: " + last.getMessage() : "";
        return new ProviderException(provider, ErrorKind.DEADLINE_EXCEEDED, 0, Optional.empty(), why + lastText, last);
    }

    private static ProviderException unavailable(RoutingPolicy policy, String why) {
        return ProviderException.of(policy.name(), ErrorKind.UNAVAILABLE, "policy '" + policy.name() + "': " + why);
    }

    @Override
    public void close() {
        hedges.shutdownNow();
    }

    @Override
    public String toString() {
        return "ProviderRouter[" + name + ", targets " + slots.keySet().stream().sorted().toList() + "]";
    }

    private record CacheKey(String policy, List<ChatMessage> messages, List<ToolSpec> tools, Map<String, Object> options) {}

    /** A target's live state: breaker, concurrency permits, latency average. */
    private static final class Slot {
        final ProviderTarget target;
        final CircuitBreaker breaker;
        final Semaphore permits;
        final java.util.concurrent.atomic.AtomicInteger inFlight = new java.util.concurrent.atomic.AtomicInteger();
        // Exponentially weighted moving average of successful call latency, in nanoseconds; 0 = no sample yet.
        final AtomicLong latencyBits = new AtomicLong(Double.doubleToRawLongBits(0));

        Slot(ProviderTarget target, CircuitBreaker breaker) {
            this.target = target;
            this.breaker = breaker;
            this.permits = new Semaphore(target.maxConcurrency());
        }

        double latency() {
            return Double.longBitsToDouble(latencyBits.get());
        }

        void observe(long nanos) {
            latencyBits.updateAndGet(bits -> {
                double old = Double.longBitsToDouble(bits);
                return Double.doubleToRawLongBits(old == 0 ? nanos : 0.8 * old + 0.2 * nanos);
            });
        }
    }

    /** Smooth weighted round robin (as in nginx): over any window each target leads in proportion to its weight. */
    private static final class WeightedState {
        private final Map<Slot, Long> current = new LinkedHashMap<>();

        synchronized List<Slot> order(List<Slot> usable) {
            long total = 0;
            Slot best = null;
            for (Slot s : usable) {
                long w = s.target.weight();
                total += w;
                long c = current.merge(s, w, Long::sum);
                if (best == null || c > current.get(best)) {
                    best = s;
                }
            }
            current.merge(best, -total, Long::sum);
            List<Slot> out = new ArrayList<>(usable.size());
            out.add(best);
            Slot leader = best;
            usable.stream().filter(s -> s != leader).sorted(Comparator.comparingInt((Slot s) -> -s.target.weight())).forEach(out::add);
            return out;
        }
    }

    /** The router's meters, registered once per registry and per target. */
    private final class Meters {
        private final MeterRegistry registry;
        private final Map<String, TargetMeters> byTarget = new ConcurrentHashMap<>();
        private final Counter hits;
        private final Counter misses;

        Meters(MeterRegistry registry) {
            this.registry = registry;
            this.hits = Counter.builder("graft.router.cache").tag("router", name).tag("result", "hit")
                    .description("Response cache lookups").register(registry);
            this.misses = Counter.builder("graft.router.cache").tag("router", name).tag("result", "miss")
                    .description("Response cache lookups").register(registry);
            for (Slot s : slots.values()) {
                byTarget.put(s.target.id(), new TargetMeters(registry, s));
            }
        }

        void cache(boolean hit) {
            (hit ? hits : misses).increment();
        }

        void success(Slot s, long nanos, ChatResponse r, double cost) {
            TargetMeters t = byTarget.get(s.target.id());
            t.ok.increment();
            t.latency.record(nanos, TimeUnit.NANOSECONDS);
            t.tokensIn.increment(r.usage().inputTokens());
            t.tokensOut.increment(r.usage().outputTokens());
            t.cost.increment(cost);
        }

        void failure(Slot s, String kind, long nanos) {
            TargetMeters t = byTarget.get(s.target.id());
            t.failed.increment();
            t.latency.record(nanos, TimeUnit.NANOSECONDS);
            Counter.builder("graft.provider.errors").tags(t.tags).tag("kind", kind)
                    .description("Failed provider calls by kind of failure").register(registry).increment();
        }

        void retry(Slot s) {
            byTarget.get(s.target.id()).retries.increment();
        }

        void hedge(Slot s) {
            byTarget.get(s.target.id()).hedges.increment();
        }
    }

    private static final class TargetMeters {
        final io.micrometer.core.instrument.Tags tags;
        final Counter ok;
        final Counter failed;
        final Timer latency;
        final Counter tokensIn;
        final Counter tokensOut;
        final Counter cost;
        final Counter retries;
        final Counter hedges;

        TargetMeters(MeterRegistry r, Slot s) {
            tags = io.micrometer.core.instrument.Tags.of("provider", s.target.provider(), "target", s.target.id());
            ok = Counter.builder("graft.provider.requests").tags(tags).tag("outcome", "success").description("Provider calls").register(r);
            failed = Counter.builder("graft.provider.requests").tags(tags).tag("outcome", "error").description("Provider calls").register(r);
            latency = Timer.builder("graft.provider.latency").tags(tags).description("Provider call latency")
                    .publishPercentileHistogram().register(r);
            tokensIn = Counter.builder("graft.provider.tokens").tags(tags).tag("direction", "in").baseUnit("tokens").register(r);
            tokensOut = Counter.builder("graft.provider.tokens").tags(tags).tag("direction", "out").baseUnit("tokens").register(r);
            cost = Counter.builder("graft.provider.cost").tags(tags).baseUnit("usd").description("Cost by configured prices").register(r);
            retries = Counter.builder("graft.provider.retries").tags(tags).description("Attempts after the first of a call").register(r);
            hedges = Counter.builder("graft.provider.hedges").tags(tags).description("Hedged second attempts").register(r);
            Gauge.builder("graft.provider.breaker.state", s.breaker, b -> b.state().level()).tags(tags)
                    .description("Circuit breaker: 0 closed, 1 half-open, 2 open").register(r);
            Gauge.builder("graft.provider.inflight", s.inFlight, java.util.concurrent.atomic.AtomicInteger::get).tags(tags)
                    .description("Calls in flight").register(r);
        }
    }
}
