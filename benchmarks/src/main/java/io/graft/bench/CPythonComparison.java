package io.graft.bench;

import io.graft.core.AgentResult;
import io.graft.core.GraftException;
import io.graft.core.json.Json;
import io.graft.python.PythonSettings;
import io.graft.server.Graft;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs the same agent script the same number of times in Graft (in this JVM, through the full
 * runtime path) and under CPython (a child process with the same packages, model script and
 * tools), and reports both medians and their ratio. GraalPy's JIT needs minutes of runs to reach
 * its steady state on this 2-core machine, so Graft warms up for a time (default 180 s); CPython
 * has no JIT and warms up for a number of runs. Graft then measures at least RUNS runs (default
 * 1000) and at least 15 s; CPython measures as many runs. Both report the median latency and the
 * throughput (runs per second of the measured window).
 *
 * <p>With CONTEXTS above 1 (default 1), Graft runs one caller per pooled context at once, which is
 * how a server spends more than one core on Python; CPython stays one process, where the GIL lets
 * one thread run Python at a time. Usage:
 *
 * <pre>CPythonComparison CPYTHON_EXE EXAMPLE [GRAFT_WARMUP_SECONDS] [RUNS] [CONTEXTS]</pre>
 */
public final class CPythonComparison {
    /** CPython has no JIT: a few hundred runs settle its caches. */
    private static final int CPYTHON_WARMUP_RUNS = 500;
    /** Graft's measurement lasts at least this long; CPython then does as many runs. */
    private static final Duration MIN_MEASURED = Duration.ofSeconds(15);

    private CPythonComparison() {}

    /** The measured runs' latencies and the wall time of the window they ran in. */
    record Measured(long[] samples, long elapsedNanos) {
        double p50() {
            return median(samples);
        }

        double runsPerSecond() {
            return samples.length * 1e9 / elapsedNanos;
        }
    }

    public static void main(String[] args) throws Exception {
        String python = args[0];
        String example = args[1];
        Duration warmup = Duration.ofSeconds(args.length > 2 ? Long.parseLong(args[2]) : 180);
        int runs = args.length > 3 ? Integer.parseInt(args[3]) : 1000;
        int contexts = args.length > 4 ? Integer.parseInt(args[4]) : 1;
        String input = "What is 17 * 23 + 4?";
        Path script = Fixtures.example(example + "/agent.py");
        Path scripted = Fixtures.example(example + "/scripted.json");

        Measured graft = graftSamples(example, script, input, warmup, runs, contexts);
        runs = graft.samples().length;
        Measured cpython = cpythonSamples(python, script, scripted, input, CPYTHON_WARMUP_RUNS, runs);
        System.out.println(Json.write(Map.ofEntries(
                Map.entry("example", example), Map.entry("runs", runs), Map.entry("graft_contexts", contexts),
                Map.entry("graft_warmup_s", warmup.toSeconds()), Map.entry("cpython_warmup_runs", CPYTHON_WARMUP_RUNS),
                Map.entry("graft_p50_us", graft.p50() / 1e3), Map.entry("cpython_p50_us", cpython.p50() / 1e3),
                Map.entry("ratio_cpython_over_graft", cpython.p50() / graft.p50()),
                Map.entry("graft_runs_per_s", graft.runsPerSecond()), Map.entry("cpython_runs_per_s", cpython.runsPerSecond()),
                Map.entry("throughput_ratio_graft_over_cpython", graft.runsPerSecond() / cpython.runsPerSecond()))));
        System.err.printf(Locale.ROOT, "%s: Graft p50 %.1f us, CPython p50 %.1f us, CPython/Graft = %.2f; "
                        + "Graft (%d context(s)) %.0f runs/s, CPython %.0f runs/s, Graft/CPython = %.2f%n",
                example, graft.p50() / 1e3, cpython.p50() / 1e3, cpython.p50() / graft.p50(),
                contexts, graft.runsPerSecond(), cpython.runsPerSecond(), graft.runsPerSecond() / cpython.runsPerSecond());
    }

    private static Measured graftSamples(String example, Path script, String input, Duration warmup, int runs, int contexts)
            throws InterruptedException {
        try (Graft graft = new Graft(Fixtures.model(example), PythonSettings.fromSystem().withPoolSize(contexts))) {
            String agent = graft.load(script).getFirst().name();
            long warmEnd = System.nanoTime() + warmup.toNanos();
            callers(contexts, () -> {
                while (System.nanoTime() < warmEnd) {
                    check(graft.runtime().run(Fixtures.task(agent, input)));
                }
                return new long[0];
            });
            // At least MIN_MEASURED as well: a thousand runs of a 1.5 ms chain are 2 s of a JIT that is
            // still compiling, and such a snapshot swung between 1.7 and 2.8 ms (docs/performance.md).
            AtomicInteger done = new AtomicInteger();
            long start = System.nanoTime();
            long measureEnd = start + MIN_MEASURED.toNanos();
            long[] samples = callers(contexts, () -> {
                long[] mine = new long[1024];
                int n = 0;
                while (done.get() < runs || System.nanoTime() < measureEnd) {
                    long t0 = System.nanoTime();
                    check(graft.runtime().run(Fixtures.task(agent, input)));
                    if (n == mine.length) {
                        mine = Arrays.copyOf(mine, n * 2);
                    }
                    mine[n++] = System.nanoTime() - t0;
                    done.incrementAndGet();
                }
                return Arrays.copyOf(mine, n);
            });
            return new Measured(samples, System.nanoTime() - start);
        }
    }

    /** Runs {@code work} on that many platform threads at once; answers all their samples. */
    private static long[] callers(int count, Callable<long[]> work) throws InterruptedException {
        try (ExecutorService pool = Executors.newFixedThreadPool(count)) {
            List<Future<long[]>> results = pool.invokeAll(Collections.nCopies(count, work));
            long[] all = new long[0];
            for (Future<long[]> result : results) {
                long[] part = result.get();
                all = Arrays.copyOf(all, all.length + part.length);
                System.arraycopy(part, 0, all, all.length - part.length, part.length);
            }
            return all;
        } catch (ExecutionException e) {
            throw new GraftException("a Graft run failed: " + e.getCause().getMessage(), e.getCause());
        }
    }

    private static Measured cpythonSamples(String python, Path script, Path scripted, String input, int warmup, int runs)
            throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(List.of(python, Fixtures.home().resolve("benchmarks/python/cpython_harness.py").toString(),
                script.toString(), scripted.toString(), input, String.valueOf(warmup), String.valueOf(runs)));
        pb.environment().put("PYTHONPATH", Fixtures.home().resolve("python-adapters/src/main/python").toString());
        // What graft/_boot.py sets in every Graft context: no telemetry or tracing exports (CrewAI's
        // would try the network and queue spans), so both sides run the same framework code.
        for (String off : List.of("CREWAI_DISABLE_TELEMETRY=true", "CREWAI_TRACING_ENABLED=false", "OTEL_SDK_DISABLED=true")) {
            pb.environment().putIfAbsent(off.substring(0, off.indexOf('=')), off.substring(off.indexOf('=') + 1));
        }
        pb.redirectError(ProcessBuilder.Redirect.INHERIT);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new GraftException("CPython harness failed: " + out);
        }
        Map<String, Object> answer = Json.readMap(out.strip(), "CPython harness output");
        List<?> samples = (List<?>) answer.get("samples_ns");
        return new Measured(samples.stream().mapToLong(o -> ((Number) o).longValue()).toArray(),
                ((Number) answer.get("elapsed_ns")).longValue());
    }

    private static void check(AgentResult r) {
        if (!r.completed()) {
            throw new GraftException("run failed: " + r.error());
        }
    }

    static double median(long[] samples) {
        long[] sorted = samples.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }
}
