package io.graft.core.provider;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.graft.core.AgentResult;
import io.graft.core.AgentRuntime;
import io.graft.core.AgentTask;
import io.graft.core.agents.ReActAgent;
import io.graft.core.model.CallScope;
import io.graft.core.model.ChatMessage;
import io.graft.core.model.ChatRequest;
import io.graft.core.model.ChatResponse;
import io.graft.core.model.ScriptedChatModel;
import io.graft.core.model.ToolSpec;
import io.graft.core.provider.CircuitBreaker.State;
import io.graft.core.provider.RoutingPolicy.Strategy;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ProviderRouterTest {
    final FakeProvider a = new FakeProvider();
    final FakeProvider b = new FakeProvider();
    final FakeProvider c = new FakeProvider();
    final List<ProviderRouter> routers = new ArrayList<>();

    @AfterEach
    void stop() {
        a.close();
        b.close();
        c.close();
        routers.forEach(ProviderRouter::close);
    }

    static final Backoff FAST = new Backoff(Duration.ofMillis(20), Duration.ofMillis(100), 2, 0.2);

    static ProviderTarget target(String name, FakeProvider server) {
        Endpoint e = Endpoint.of(name, server.base()).withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ofSeconds(2));
        return ProviderTarget.of(name, "m", new OpenAiChatModel(e, "m"));
    }

    ProviderRouter router(ProviderRouter.Builder builder) {
        ProviderRouter r = builder.build();
        routers.add(r);
        return r;
    }

    ProviderRouter.Builder base(RoutingPolicy policy) {
        return ProviderRouter.builder().target(target("a", a)).target(target("b", b)).target(target("c", c))
                .policy(policy).backoff(FAST);
    }

    static ChatRequest ask(String text) {
        return ChatRequest.of(List.of(ChatMessage.user(text)));
    }

    static ChatRequest ask(String text, Duration deadlineIn) {
        return ask(text).withScope(CallScope.NONE.withDeadline(Instant.now().plus(deadlineIn)));
    }

    static final FakeProvider.Reply OK = FakeProvider.json(FakeProvider.openAiText("fine", 10, 2));
    static final FakeProvider.Reply DOWN = FakeProvider.status(500, "{\"error\":\"down\"}", Map.of());

    @Test
    void passesTheEndOfAConversationOnToItsTargets() {
        ScriptedChatModel scripted = ScriptedChatModel.fromJson("scripted:two", "[{\"content\": \"one\"}, {\"content\": \"two\"}]", "test");
        ProviderRouter r = router(ProviderRouter.builder().target(ProviderTarget.of("s", "m", scripted))
                .policy(RoutingPolicy.priority("only-s", List.of("s/m"))));
        ChatRequest call = ask("count").withConversation("c");
        assertEquals("one", r.chat(call).message().content());
        assertEquals("two", r.chat(call).message().content());
        r.conversationEnded("c");
        assertEquals("one", r.chat(call).message().content());
    }

    @Test
    void failsOverInPriorityOrderAndSaysWhichProviderServed() {
        a.always(DOWN);
        b.always(DOWN);
        c.always(OK);
        var meters = new SimpleMeterRegistry();
        ProviderRouter r = router(base(RoutingPolicy.priority("main", List.of("a/m", "b/m", "c/m"))));
        r.bindTo(meters);
        ChatResponse resp = r.chat(ask("hi"));
        assertEquals("c", resp.provider());
        assertEquals(List.of(1, 1, 1), List.of(a.count(), b.count(), c.count()));
        assertEquals(1.0, meters.get("graft.provider.errors").tags("provider", "a", "kind", "server_error").counter().count());
        assertEquals(1.0, meters.get("graft.provider.requests").tags("provider", "c", "outcome", "success").counter().count());
        assertEquals(10.0, meters.get("graft.provider.tokens").tags("provider", "c", "direction", "in").counter().count());
    }

    @Test
    void neverRetriesPastTheDeadlineWhenRetryAfterIsLonger() {
        a.always(FakeProvider.status(429, "{\"error\":\"slow down\"}", Map.of("Retry-After", "5")));
        ProviderRouter r = router(base(RoutingPolicy.priority("only-a", List.of("a/m")).withMaxAttempts(10)));
        long t0 = System.nanoTime();
        var e = assertThrows(ProviderException.class, () -> r.chat(ask("hi", Duration.ofSeconds(1))));
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertEquals(ErrorKind.DEADLINE_EXCEEDED, e.kind());
        assertTrue(e.getMessage().contains("after the call's deadline"), e.getMessage());
        assertEquals(1, a.count(), "the 5 s Retry-After does not fit a 1 s deadline, so no second request");
        assertTrue(ms < 900, "gave up at once instead of waiting, took " + ms + " ms");
    }

    @Test
    void cutsAnAttemptShortAtTheCallersDeadline() {
        a.always(FakeProvider.slow(3_000, FakeProvider.openAiText("late", 1, 1)));
        ProviderRouter r = router(base(RoutingPolicy.priority("only-a", List.of("a/m")).withMaxAttempts(5)));
        long t0 = System.nanoTime();
        var e = assertThrows(ProviderException.class, () -> r.chat(ask("hi", Duration.ofMillis(400))));
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertTrue(e.kind() == ErrorKind.TIMEOUT || e.kind() == ErrorKind.DEADLINE_EXCEEDED, e.getMessage());
        assertTrue(ms < 1_500, "the 5 s request timeout was cut to the 400 ms deadline, took " + ms + " ms");
        assertEquals(1, a.count(), "no attempt was started after the deadline");
    }

    @Test
    void waitsForRetryAfterWhenItFitsTheDeadline() {
        a.then(FakeProvider.status(429, "{}", Map.of("Retry-After", "0.3"))).always(OK);
        ProviderRouter r = router(base(RoutingPolicy.priority("only-a", List.of("a/m"))));
        long t0 = System.nanoTime();
        assertEquals("fine", r.chat(ask("hi", Duration.ofSeconds(5))).message().content());
        assertTrue(System.nanoTime() - t0 >= 300_000_000L, "waited for Retry-After");
        assertEquals(2, a.count());
    }

    @Test
    void stopsAfterMaxAttemptsWithTheLastFailure() {
        a.always(DOWN);
        ProviderRouter r = router(base(RoutingPolicy.priority("only-a", List.of("a/m")).withMaxAttempts(3)));
        var e = assertThrows(ProviderException.class, () -> r.chat(ask("hi")));
        assertEquals(ErrorKind.SERVER_ERROR, e.kind());
        assertEquals(3, a.count());
    }

    @Test
    void doesNotFailOverABadRequest() {
        a.always(FakeProvider.status(400, "{\"error\":\"bad schema\"}", Map.of()));
        b.always(OK);
        ProviderRouter r = router(base(RoutingPolicy.priority("main", List.of("a/m", "b/m"))));
        assertEquals(ErrorKind.BAD_REQUEST, assertThrows(ProviderException.class, () -> r.chat(ask("hi"))).kind());
        assertEquals(0, b.count());
    }

    @Test
    void opensTheBreakerSkipsTheProviderAndProbesItAfterTheWait() {
        MutableClock clock = new MutableClock();
        a.then(DOWN, DOWN).always(OK);
        b.always(OK);
        ProviderTarget ta = target("a", a).withLimits(8, new CircuitBreaker.Settings(2, Duration.ofSeconds(30), 1));
        ProviderRouter r = router(ProviderRouter.builder().target(ta).target(target("b", b))
                .policy(RoutingPolicy.priority("main", List.of("a/m", "b/m"))).backoff(FAST).clock(clock));
        var meters = new SimpleMeterRegistry();
        r.bindTo(meters);
        r.chat(ask("1"));
        assertEquals(State.CLOSED, r.breakerState("a/m"));
        r.chat(ask("2"));
        assertEquals(State.OPEN, r.breakerState("a/m"));
        assertEquals(2.0, meters.get("graft.provider.breaker.state").tags("provider", "a").gauge().value());
        r.chat(ask("3"));
        assertEquals(2, a.count(), "an open breaker keeps calls away");
        clock.advance(Duration.ofSeconds(30));
        assertEquals(State.HALF_OPEN, r.breakerState("a/m"));
        assertEquals("a", r.chat(ask("4")).provider(), "the probe goes to a and succeeds");
        assertEquals(State.CLOSED, r.breakerState("a/m"));
        assertEquals(3, b.count());
    }

    @Test
    void spreadsCallsByWeight() {
        a.always(OK);
        b.always(OK);
        ProviderRouter r = router(ProviderRouter.builder().target(target("a", a).withWeight(3)).target(target("b", b))
                .policy(RoutingPolicy.priority("w", List.of("a/m", "b/m")).withStrategy(Strategy.WEIGHTED)));
        for (int i = 0; i < 8; i++) {
            r.chat(ask("x" + i));
        }
        assertEquals(6, a.count());
        assertEquals(2, b.count());
    }

    @Test
    void picksTheCheapestTargetThatCanCallTools() {
        a.always(OK);
        b.always(OK);
        c.always(OK);
        ProviderRouter r = router(ProviderRouter.builder()
                .target(target("a", a).withCapabilities(false, 0).withPrice(new ProviderTarget.Price(0.01, 0.01)))
                .target(target("b", b).withPrice(new ProviderTarget.Price(1, 2)))
                .target(target("c", c).withPrice(new ProviderTarget.Price(5, 15)))
                .policy(RoutingPolicy.priority("cheap", List.of("c/m", "b/m", "a/m")).withStrategy(Strategy.CHEAPEST)));
        ChatRequest withTools = new ChatRequest(List.of(ChatMessage.user("hi")), List.of(new ToolSpec("t", "a tool", Map.of())), Map.of(), "");
        ChatResponse resp = r.chat(withTools);
        assertEquals("b", resp.provider());
        assertEquals((10 * 1 + 2 * 2) / 1_000_000.0, resp.costUsd(), 1e-12);
        assertEquals("a", r.chat(ask("no tools")).provider());
    }

    @Test
    void skipsTargetsWhoseContextWindowIsTooSmall() {
        a.always(OK);
        b.always(OK);
        ProviderRouter r = router(ProviderRouter.builder().target(target("a", a).withCapabilities(true, 100)).target(target("b", b))
                .policy(RoutingPolicy.priority("main", List.of("a/m", "b/m"))));
        assertEquals("b", r.chat(ask("x".repeat(2_000))).provider());
        assertEquals(0, a.count());
    }

    @Test
    void prefersTheTargetWithTheLowestObservedLatency() {
        a.always(FakeProvider.slow(150, FakeProvider.openAiText("slow", 1, 1)));
        b.always(OK);
        ProviderRouter r = router(base(RoutingPolicy.priority("fast", List.of("a/m", "b/m")).withStrategy(Strategy.LATENCY)));
        for (int i = 0; i < 5; i++) {
            r.chat(ask("x" + i));
        }
        assertEquals(1, a.count(), "a is tried once (untried targets first), then b is faster");
        assertEquals(4, b.count());
    }

    @Test
    void hedgesASlowCallToTheNextTarget() {
        a.always(FakeProvider.slow(2_000, FakeProvider.openAiText("slow", 1, 1)));
        b.always(OK);
        var meters = new SimpleMeterRegistry();
        ProviderRouter r = router(base(RoutingPolicy.priority("hedged", List.of("a/m", "b/m")).withHedgeAfter(Duration.ofMillis(100))));
        r.bindTo(meters);
        long t0 = System.nanoTime();
        ChatResponse resp = r.chat(ask("hi"));
        assertEquals("b", resp.provider());
        assertTrue(System.nanoTime() - t0 < 1_500_000_000L, "the hedge answered before the slow call");
        assertEquals(1.0, meters.get("graft.provider.hedges").tags("provider", "b").counter().count());
        // The loser is cancelled; its loss counts once against a's breaker (threshold 5, so still closed).
        assertEquals(1.0, awaitCount(meters, "a", "hedge_lost"));
        assertEquals(State.CLOSED, r.breakerState("a/m"));
    }

    /** The loser records its loss on its own thread, just after the winner returned. */
    static double awaitCount(SimpleMeterRegistry meters, String provider, String kind) {
        for (int i = 0; i < 200; i++) {
            var c = meters.find("graft.provider.errors").tags("provider", provider, "kind", kind).counter();
            if (c != null) {
                return c.count();
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return 0;
    }

    @Test
    void opensTheBreakerOfATargetThatKeepsLosingHedges() {
        a.always(FakeProvider.slow(1_000, FakeProvider.openAiText("slow", 1, 1)));
        b.always(OK);
        ProviderRouter r = router(ProviderRouter.builder()
                .target(target("a", a).withLimits(8, new CircuitBreaker.Settings(2, Duration.ofSeconds(30), 1))).target(target("b", b))
                .policy(RoutingPolicy.priority("hedged", List.of("a/m", "b/m")).withHedgeAfter(Duration.ofMillis(50))));
        r.chat(ask("1"));
        r.chat(ask("2"));
        for (int i = 0; i < 200 && r.breakerState("a/m") != State.OPEN; i++) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        assertEquals(State.OPEN, r.breakerState("a/m"), "a hanging provider stops holding calls for hedge_after");
        int before = a.count();
        assertEquals("b", r.chat(ask("3")).provider());
        assertEquals(before, a.count());
    }

    @Test
    void aHedgeThatStartedLateAndLostIsNotChargedToItsProvider() {
        a.always(FakeProvider.slow(300, FakeProvider.openAiText("a", 1, 1)));
        b.always(FakeProvider.slow(1_500, FakeProvider.openAiText("b", 1, 1)));
        var meters = new SimpleMeterRegistry();
        ProviderRouter r = router(ProviderRouter.builder()
                .target(target("a", a)).target(target("b", b).withLimits(8, new CircuitBreaker.Settings(1, Duration.ofSeconds(30), 1)))
                .policy(RoutingPolicy.priority("hedged", List.of("a/m", "b/m")).withHedgeAfter(Duration.ofMillis(100))));
        r.bindTo(meters);
        assertEquals("a", r.chat(ask("hi")).provider());
        assertEquals(1.0, awaitCount(meters, "b", "cancelled"));
        assertEquals(State.CLOSED, r.breakerState("b/m"), "a breaker with threshold 1 would be open had the loss counted");
    }

    @Test
    void hedgesAStreamWithoutAFirstTokenAndPassesOnlyTheWinnersTokens() {
        a.always(new FakeProvider.Sse(FakeProvider.openAiStream(List.of("slow-1", "slow-2"), 1, 1), 1_000, -1));
        b.always(FakeProvider.sse(FakeProvider.openAiStream(List.of("fast-1", "fast-2"), 1, 1)));
        ProviderRouter r = router(base(RoutingPolicy.priority("hedged", List.of("a/m", "b/m")).withHedgeAfter(Duration.ofMillis(150))));
        List<String> tokens = new java.util.concurrent.CopyOnWriteArrayList<>();
        long t0 = System.nanoTime();
        ChatResponse resp = r.stream(ask("hi"), tokens::add);
        assertEquals("b", resp.provider());
        assertEquals(List.of("fast-1", "fast-2"), tokens);
        assertTrue(System.nanoTime() - t0 < 900_000_000L, "did not wait for the slow stream");
    }

    @Test
    void failsOverAStreamThatBrokeBeforeAnyToken() {
        a.always(new FakeProvider.Sse(FakeProvider.openAiStream(List.of("x"), 1, 1), 0, 0));
        b.always(FakeProvider.sse(FakeProvider.openAiStream(List.of("he", "llo"), 1, 2)));
        ProviderRouter r = router(base(RoutingPolicy.priority("main", List.of("a/m", "b/m"))));
        List<String> tokens = new ArrayList<>();
        ChatResponse resp = r.stream(ask("hi"), tokens::add);
        assertEquals(List.of("he", "llo"), tokens);
        assertEquals("b", resp.provider());
    }

    @Test
    void doesNotRetryAStreamThatBrokeAfterTokensReachedTheCaller() {
        a.always(new FakeProvider.Sse(FakeProvider.openAiStream(List.of("x", "y", "z"), 1, 1), 0, 2));
        b.always(FakeProvider.sse(FakeProvider.openAiStream(List.of("other"), 1, 1)));
        ProviderRouter r = router(base(RoutingPolicy.priority("main", List.of("a/m", "b/m"))));
        List<String> tokens = new ArrayList<>();
        var e = assertThrows(ProviderException.class, () -> r.stream(ask("hi"), tokens::add));
        assertEquals(ErrorKind.STREAM_DROPPED, e.kind());
        assertEquals(List.of("x", "y"), tokens, "no repeated or mixed text");
        assertEquals(0, b.count());
    }

    @Test
    void sendsOverflowToTheNextTargetAtTheConcurrencyLimit() throws Exception {
        a.always(FakeProvider.slow(400, FakeProvider.openAiText("a", 1, 1)));
        b.always(OK);
        ProviderRouter r = router(ProviderRouter.builder().target(target("a", a).withLimits(1, CircuitBreaker.Settings.DEFAULT))
                .target(target("b", b)).policy(RoutingPolicy.priority("main", List.of("a/m", "b/m"))));
        var first = CompletableFuture.supplyAsync(() -> r.chat(ask("1")));
        Thread.sleep(100);
        assertEquals("b", r.chat(ask("2")).provider());
        assertEquals("a", first.get().provider());
    }

    @Test
    void servesIdenticalDeterministicRequestsFromTheCache() {
        a.always(OK);
        var meters = new SimpleMeterRegistry();
        ProviderRouter r = router(base(RoutingPolicy.priority("main", List.of("a/m"))).cache(100, Duration.ofMinutes(1)));
        r.bindTo(meters);
        ChatRequest det = new ChatRequest(List.of(ChatMessage.user("2+2?")), List.of(), Map.of("temperature", 0), "run-1");
        assertEquals("a", r.chat(det).provider());
        ChatResponse again = r.chat(det.withConversation("run-2"));
        assertEquals("cache", again.provider());
        assertEquals(0.0, again.costUsd());
        assertEquals("fine", again.message().content());
        r.chat(ask("random"));
        r.chat(ask("random"));
        assertEquals(3, a.count(), "only the deterministic request was cached");
        assertEquals(1.0, meters.get("graft.router.cache").tag("result", "hit").counter().count());
        assertEquals(1.0, meters.get("graft.router.cache").tag("result", "miss").counter().count());
    }

    @Test
    void choosesThePolicyByRequestThenAgentThenFramework() {
        a.always(OK);
        b.always(OK);
        c.always(OK);
        ProviderRouter r = router(base(RoutingPolicy.priority("default", List.of("a/m")))
                .policy(RoutingPolicy.priority("for-agent", List.of("b/m")))
                .policy(RoutingPolicy.priority("for-framework", List.of("c/m")))
                .agentPolicy("researcher", "for-agent").frameworkPolicy("crewai", "for-framework"));
        assertEquals("a", r.chat(ask("x")).provider());
        assertEquals("b", r.chat(ask("x").withScope(new CallScope("researcher", "crewai", "", Optional.empty(), false))).provider());
        assertEquals("c", r.chat(ask("x").withScope(new CallScope("writer", "crewai", "", Optional.empty(), false))).provider());
        assertEquals("a", r.chat(ask("x").withScope(new CallScope("researcher", "crewai", "default", Optional.empty(), false))).provider());
        var e = assertThrows(io.graft.core.model.ModelException.class,
                () -> r.chat(ask("x").withScope(CallScope.NONE.withPolicy("nope"))));
        assertTrue(e.getMessage().contains("'nope'") && e.getMessage().contains("for-agent"), e.getMessage());
    }

    @Test
    void rejectsAPolicyThatNamesAnUnknownTarget() {
        var e = assertThrows(io.graft.core.GraftException.class, () -> ProviderRouter.builder().target(target("a", a))
                .policy(RoutingPolicy.priority("main", List.of("a/m", "zz/m"))).build());
        assertTrue(e.getMessage().contains("unknown target 'zz/m'"), e.getMessage());
    }

    @Test
    void aNativeReActAgentRunsThroughTheRouterAndItsRunCountsProvidersAndCost() {
        a.always(DOWN);
        Map<String, Object> call = Map.of("id", "call_1", "type", "function",
                "function", Map.of("name", "calculator", "arguments", "{\"expression\":\"6*7\"}"));
        // The runtime streams (it has listeners), so the fake answers in SSE as a real server would.
        b.then(new FakeProvider.OpenAiAnswer("", List.of(call), 100, 10), new FakeProvider.OpenAiAnswer("The answer is 42.", List.of(), 120, 8));
        ProviderRouter r = router(ProviderRouter.builder().target(target("a", a))
                .target(target("b", b).withPrice(new ProviderTarget.Price(2, 8)))
                .policy(RoutingPolicy.priority("main", List.of("a/m", "b/m"))).backoff(FAST));
        try (AgentRuntime runtime = AgentRuntime.builder(r).clock(Clock.systemUTC()).build()) {
            runtime.register(new ReActAgent("calc", "does sums", "use the calculator", 4, List.of("calculator")));
            AgentResult result = runtime.run(AgentTask.of("calc", "what is 6*7?"));
            assertTrue(result.completed(), () -> result.error() + " a=" + a.count() + " b=" + b.count() + " " + result.steps());
            assertEquals("The answer is 42.", result.output());
            assertEquals(2, result.metrics().llmCalls());
            assertEquals(2, result.metrics().providers().get("b").calls());
            assertFalse(result.metrics().providers().containsKey("a"), "failed attempts are not billed to the run");
            assertEquals((220 * 2 + 18 * 8) / 1_000_000.0, result.metrics().costUsd(), 1e-12);
            @SuppressWarnings("unchecked")
            var tools = (List<Map<String, Object>>) b.received().getFirst().body().get("tools");
            assertEquals(1, tools.size());
            @SuppressWarnings("unchecked")
            var history = (List<Map<String, Object>>) b.received().getLast().body().get("messages");
            assertEquals("42", history.getLast().get("content"), "the tool result went back to the provider");
        }
    }
}
