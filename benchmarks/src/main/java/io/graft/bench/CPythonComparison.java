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
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Runs the same agent script the same number of times in Graft (in this JVM, through the full
 * runtime path) and under CPython (a child process with the same packages, model script and
 * tools), and reports both medians and their ratio. GraalPy's JIT needs minutes of runs to reach
 * its steady state on this 2-core machine, so Graft warms up for a time (default 180 s); CPython
 * has no JIT and warms up for a number of runs. Graft then measures at least RUNS runs (default
 * 1000) and at least 15 s; CPython measures as many runs. Usage:
 *
 * <pre>CPythonComparison CPYTHON_EXE EXAMPLE [GRAFT_WARMUP_SECONDS] [RUNS]</pre>
 */
public final class CPythonComparison {
    /** CPython has no JIT: a few hundred runs settle its caches. */
    private static final int CPYTHON_WARMUP_RUNS = 500;
    /** Graft's measurement lasts at least this long; CPython then does as many runs. */
    private static final Duration MIN_MEASURED = Duration.ofSeconds(15);

    private CPythonComparison() {}

    public static void main(String[] args) throws Exception {
        String python = args[0];
        String example = args[1];
        Duration warmup = Duration.ofSeconds(args.length > 2 ? Long.parseLong(args[2]) : 180);
        int runs = args.length > 3 ? Integer.parseInt(args[3]) : 1000;
        String input = "What is 17 * 23 + 4?";
        Path script = Fixtures.example(example + "/agent.py");
        Path scripted = Fixtures.example(example + "/scripted.json");

        long[] graft = graftSamples(example, script, input, warmup, runs);
        runs = graft.length;
        long[] cpython = cpythonSamples(python, script, scripted, input, CPYTHON_WARMUP_RUNS, runs);
        double graftP50 = median(graft);
        double cpythonP50 = median(cpython);
        System.out.println(Json.write(Map.of(
                "example", example, "runs", runs, "graft_warmup_s", warmup.toSeconds(), "cpython_warmup_runs", CPYTHON_WARMUP_RUNS,
                "graft_p50_us", graftP50 / 1e3, "cpython_p50_us", cpythonP50 / 1e3,
                "ratio_cpython_over_graft", cpythonP50 / graftP50)));
        System.err.printf(Locale.ROOT, "%s: Graft p50 %.1f us, CPython p50 %.1f us, CPython/Graft = %.2f%n",
                example, graftP50 / 1e3, cpythonP50 / 1e3, cpythonP50 / graftP50);
    }

    private static long[] graftSamples(String example, Path script, String input, Duration warmup, int runs) {
        try (Graft graft = new Graft(Fixtures.model(example), PythonSettings.fromSystem().withPoolSize(1))) {
            String agent = graft.load(script).getFirst().name();
            long end = System.nanoTime() + warmup.toNanos();
            while (System.nanoTime() < end) {
                check(graft.runtime().run(Fixtures.task(agent, input)));
            }
            // At least MIN_MEASURED as well: a thousand runs of a 1.5 ms chain are 2 s of a JIT that is
            // still compiling, and such a snapshot swung between 1.7 and 2.8 ms (docs/performance.md).
            long[] samples = new long[runs];
            int n = 0;
            long measureEnd = System.nanoTime() + MIN_MEASURED.toNanos();
            while (n < runs || System.nanoTime() < measureEnd) {
                long t0 = System.nanoTime();
                check(graft.runtime().run(Fixtures.task(agent, input)));
                if (n == samples.length) {
                    samples = Arrays.copyOf(samples, samples.length * 2);
                }
                samples[n++] = System.nanoTime() - t0;
            }
            return Arrays.copyOf(samples, n);
        }
    }

    private static long[] cpythonSamples(String python, Path script, Path scripted, String input, int warmup, int runs)
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
        List<Object> samples = (List<Object>) Json.readMap(out.strip(), "CPython harness output").get("samples_ns");
        return samples.stream().mapToLong(o -> ((Number) o).longValue()).toArray();
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
