package io.graft.bench;

import io.graft.core.AgentResult;
import io.graft.core.GraftException;
import io.graft.python.PythonSettings;
import io.graft.server.Graft;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs one example in Graft (the full runtime path) for a time, one caller per pooled context, and
 * prints every 10 s the runs done in that window and their median latency: how GraalPy's JIT
 * converges, and where it settles. Usage:
 *
 * <pre>WarmupCurve EXAMPLE [SECONDS] [CONTEXTS] [REPLACE_AT_SECONDS]</pre>
 *
 * With REPLACE_AT_SECONDS, a CrewAI crew (examples/crewai_sequential) runs at that time with a
 * 100 ms deadline. Stopping a crew midway makes the pool replace its context, so the windows after
 * it show how long the pool takes to serve again at speed.
 */
public final class WarmupCurve {
    private static final long WINDOW_NANOS = Duration.ofSeconds(10).toNanos();

    private WarmupCurve() {}

    public static void main(String[] args) throws InterruptedException {
        String example = args[0];
        Duration length = Duration.ofSeconds(args.length > 1 ? Long.parseLong(args[1]) : 240);
        int contexts = args.length > 2 ? Integer.parseInt(args[2]) : 1;
        // At this many seconds a CrewAI crew is stopped midway by its deadline, which makes the pool
        // replace that context; the windows after it show what replacing a context costs.
        long replaceAt = args.length > 3 ? Long.parseLong(args[3]) : -1;
        String input = "What is 17 * 23 + 4?";
        PythonSettings settings = PythonSettings.fromSystem().withPoolSize(contexts);
        try (Graft graft = new Graft(Fixtures.model(example), settings)) {
            String agent = graft.load(Fixtures.example(example + "/agent.py")).getFirst().name();
            String crew = replaceAt < 0 ? null : graft.load(Fixtures.example("crewai_sequential/agent.py")).getFirst().name();
            System.out.printf(Locale.ROOT, "%s: %d context(s)%n", example, contexts);
            List<Long> window = new ArrayList<>();
            AtomicReference<Throwable> failure = new AtomicReference<>();
            long start = System.nanoTime();
            long end = start + length.toNanos();
            List<Thread> callers = new ArrayList<>();
            for (int i = 0; i < contexts; i++) {
                callers.add(Thread.ofPlatform().name("caller-" + i).start(() -> {
                    while (System.nanoTime() < end && failure.get() == null) {
                        long t0 = System.nanoTime();
                        AgentResult r = graft.runtime().run(Fixtures.task(agent, input));
                        long took = System.nanoTime() - t0;
                        if (!r.completed()) {
                            failure.set(new GraftException("a run failed: " + r.error()));
                        }
                        synchronized (window) {
                            window.add(took);
                        }
                    }
                }));
            }
            if (crew != null) {
                Thread.ofPlatform().name("breaker").start(() -> {
                    try {
                        Thread.sleep(Duration.ofNanos(Math.max(0, start + Duration.ofSeconds(replaceAt).toNanos() - System.nanoTime())));
                    } catch (InterruptedException e) {
                        return;
                    }
                    AgentResult r = graft.runtime().run(Fixtures.task(crew, input).withTimeout(Duration.ofMillis(100)));
                    System.out.printf(Locale.ROOT, "t=%3.0fs the crew's run ended %s%n", (System.nanoTime() - start) / 1e9, r.status());
                });
            }
            long total = 0;
            for (long next = start + WINDOW_NANOS; next <= end && failure.get() == null; next += WINDOW_NANOS) {
                Thread.sleep(Duration.ofNanos(Math.max(0, next - System.nanoTime())));
                long[] samples;
                synchronized (window) {
                    samples = window.stream().mapToLong(Long::longValue).sorted().toArray();
                    window.clear();
                }
                total += samples.length;
                System.out.printf(Locale.ROOT, "t=%3.0fs runs=%6d runs/s=%7.1f p50=%.3fms%s%n", (next - start) / 1e9, total,
                        samples.length / (WINDOW_NANOS / 1e9), samples.length == 0 ? Double.NaN : samples[samples.length / 2] / 1e6,
                        crew == null ? "" : " replaced=" + graft.python().pool().replacedCount());
            }
            for (Thread caller : callers) {
                caller.join();
            }
            if (failure.get() != null) {
                throw new GraftException("WarmupCurve stopped: " + failure.get().getMessage(), failure.get());
            }
        }
    }
}
