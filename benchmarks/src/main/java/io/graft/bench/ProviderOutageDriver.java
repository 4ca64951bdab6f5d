package io.graft.bench;

import io.graft.core.AgentResult;
import io.graft.core.AgentRuntime;
import io.graft.core.AgentTask;
import io.graft.core.agents.ReActAgent;
import io.graft.core.json.Json;
import io.graft.core.provider.Backoff;
import io.graft.core.provider.CircuitBreaker;
import io.graft.core.provider.Endpoint;
import io.graft.core.provider.OpenAiChatModel;
import io.graft.core.provider.ProviderRouter;
import io.graft.core.provider.ProviderTarget;
import io.graft.core.provider.RoutingPolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Load during a provider outage: closed-loop clients run a native ReAct agent (two model calls, one
 * tool call) through {@link AgentRuntime} on a {@link ProviderRouter} over two loopback providers;
 * a third of the way in, the primary fails (HTTP 500s, or hangs) until two thirds. Prints one JSON
 * object: runs and failures per phase (before, during, after) with latency percentiles, and the
 * per-second p50/p99 series. Goal: no failed run while the secondary is healthy.
 *
 * <p>The first sixth of the run is warm-up (JIT, connection pools) and is left out of the
 * {@code before} phase, but stays in the per-second series.
 *
 * <p>Usage: {@code ProviderOutageDriver [seconds=30] [clients=32] [serviceMillis=20] [errors|hang] [hedgeMillis=0]}.
 */
public final class ProviderOutageDriver {
    private ProviderOutageDriver() {}

    record Sample(long startNanos, long latencyNanos, boolean ok) {}

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 30;
        int clients = args.length > 1 ? Integer.parseInt(args[1]) : 32;
        long service = args.length > 2 ? Long.parseLong(args[2]) : 20;
        LoopbackProvider.Mode outage = args.length > 3 && args[3].equals("hang") ? LoopbackProvider.Mode.HANG : LoopbackProvider.Mode.ERRORS;
        long hedgeMillis = args.length > 4 ? Long.parseLong(args[4]) : 0;

        try (LoopbackProvider primary = new LoopbackProvider(service); LoopbackProvider secondary = new LoopbackProvider(service)) {
            Duration callTimeout = Duration.ofSeconds(2);
            Endpoint p = Endpoint.of("primary", primary.base()).withTimeouts(Duration.ofSeconds(1), callTimeout, callTimeout);
            Endpoint s = Endpoint.of("secondary", secondary.base()).withTimeouts(Duration.ofSeconds(1), callTimeout, callTimeout);
            CircuitBreaker.Settings breaker = new CircuitBreaker.Settings(5, Duration.ofSeconds(2), 1);
            RoutingPolicy policy = RoutingPolicy.priority("main", List.of("primary/loop", "secondary/loop")).withMaxAttempts(4);
            if (hedgeMillis > 0) {
                policy = policy.withHedgeAfter(Duration.ofMillis(hedgeMillis));
            }
            ProviderRouter router = ProviderRouter.builder()
                    .target(ProviderTarget.of("primary", "loop", new OpenAiChatModel(p, "loop")).withLimits(256, breaker))
                    .target(ProviderTarget.of("secondary", "loop", new OpenAiChatModel(s, "loop")).withLimits(256, breaker))
                    .policy(policy)
                    .backoff(new Backoff(Duration.ofMillis(20), Duration.ofMillis(500), 2, 0.2))
                    .build();
            try (AgentRuntime runtime = AgentRuntime.builder(router).build()) {
                runtime.register(new ReActAgent("calc", "does sums", "Use the calculator.", 4, List.of("calculator")));
                ConcurrentLinkedQueue<Sample> samples = new ConcurrentLinkedQueue<>();
                ConcurrentLinkedQueue<String> errors = new ConcurrentLinkedQueue<>();
                long t0 = System.nanoTime();
                long end = t0 + seconds * 1_000_000_000L;
                long warm = t0 + seconds * 1_000_000_000L / 6;
                long down = t0 + seconds * 1_000_000_000L / 3;
                long up = t0 + 2L * seconds * 1_000_000_000L / 3;
                AtomicLong ids = new AtomicLong();
                try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
                    for (int c = 0; c < clients; c++) {
                        pool.submit(() -> {
                            while (System.nanoTime() < end) {
                                long start = System.nanoTime();
                                AgentResult r = runtime.run(AgentTask.of("calc", "What is 17 * 23 + 4?")
                                        .withId("outage-" + ids.incrementAndGet()).withTimeout(Duration.ofSeconds(10)));
                                samples.add(new Sample(start - t0, System.nanoTime() - start, r.completed()));
                                if (!r.completed() && errors.size() < 5) {
                                    errors.add(r.error().map(Object::toString).orElse(r.status().name()));
                                }
                            }
                        });
                    }
                    Thread.sleep((down - System.nanoTime()) / 1_000_000);
                    primary.mode(outage);
                    Thread.sleep(Math.max(0, (up - System.nanoTime()) / 1_000_000));
                    primary.mode(LoopbackProvider.Mode.HEALTHY);
                }
                List<Sample> all = new ArrayList<>(samples);
                Map<String, Object> out = new LinkedHashMap<>();
                out.put("benchmark", "provider-outage");
                out.put("seconds", seconds);
                out.put("clients", clients);
                out.put("service_ms", service);
                out.put("outage", outage.name().toLowerCase(java.util.Locale.ROOT));
                out.put("hedge_ms", hedgeMillis);
                Map<String, Object> phases = new LinkedHashMap<>();
                phases.put("before", phase(all, warm - t0, down - t0));
                phases.put("during", phase(all, down - t0, up - t0));
                phases.put("after", phase(all, up - t0, end - t0));
                out.put("phases", phases);
                List<Map<String, Object>> series = new ArrayList<>();
                for (int sec = 0; sec < seconds; sec++) {
                    Map<String, Object> m = phase(all, sec * 1_000_000_000L, (sec + 1) * 1_000_000_000L);
                    m.put("second", sec);
                    series.add(m);
                }
                out.put("per_second", series);
                out.put("primary_requests", primary.requests());
                out.put("secondary_requests", secondary.requests());
                out.put("first_errors", List.copyOf(errors));
                System.out.println(Json.write(out));
                router.close();
            }
        }
    }

    private static Map<String, Object> phase(List<Sample> all, long from, long to) {
        long[] lat = all.stream().filter(s -> s.startNanos() >= from && s.startNanos() < to).mapToLong(Sample::latencyNanos).sorted().toArray();
        long failed = all.stream().filter(s -> s.startNanos() >= from && s.startNanos() < to && !s.ok()).count();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("runs", lat.length);
        m.put("failed", failed);
        m.put("p50_ms", pct(lat, 0.50));
        m.put("p99_ms", pct(lat, 0.99));
        m.put("max_ms", lat.length == 0 ? 0 : lat[lat.length - 1] / 1e6);
        return m;
    }

    private static double pct(long[] sorted, double q) {
        if (sorted.length == 0) {
            return 0;
        }
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)] / 1e6;
    }
}
