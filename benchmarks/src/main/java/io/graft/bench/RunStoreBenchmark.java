package io.graft.bench;

import io.graft.server.http.RunService;
import io.graft.server.http.RunStore;
import io.graft.server.http.RunStore.ProviderUse;
import io.graft.server.http.RunStore.StoredEvent;
import io.graft.server.http.RunStore.StoredRun;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The run store alone, as a server storing waited native runs uses it: 32 threads each store one
 * run after another (its start, which is its own audit record, then its end with a 2 KB result,
 * 17 events, the last of them the finished event that carries the result, and its usage) in an H2
 * file database with Graft's durable settings. {@code start=awaited}
 * stores the start and waits for its commit before the run's end is written (every run before
 * this change); {@code start=queued} queues it ({@link RunStore#insertRunLater}), as waited runs do
 * now. Reports stored runs/s, and prints after each iteration the CPU the store's writer thread
 * used per stored run: one thread writes for everyone, so that is what bounds the store.
 */
@State(Scope.Benchmark)
@Fork(2)
@Threads(32)
@Warmup(iterations = 4, time = 3)
@Measurement(iterations = 5, time = 3)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class RunStoreBenchmark {
    @Param({"awaited", "queued"})
    public String start;

    /** Characters of the stored result; the store's cost per run grows with what it writes. */
    @Param({"2000"})
    public int resultChars;

    private Path dir;
    private RunStore store;
    private List<StoredEvent> events;
    private String result;
    private long writerThread;
    private final LongAdder runs = new LongAdder();
    private long cpuAtStart;
    private long runsAtStart;

    @Setup
    public void open() throws IOException {
        dir = Files.createTempDirectory("graft-store-bench");
        store = new RunStore("jdbc:h2:file:" + dir.resolve("db"), "sa", "");
        result = Fixtures.storedResult(resultChars);
        events = Fixtures.storedEvents(result);
        writerThread = Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals("graft-store-writer"))
                .findFirst().orElseThrow().threadId();
    }

    @TearDown
    public void close() throws IOException {
        store.close();
        TempDirs.delete(dir);
    }

    @Setup(Level.Iteration)
    public void beginIteration() {
        cpuAtStart = writerCpu();
        runsAtStart = runs.sum();
    }

    @TearDown(Level.Iteration)
    public void endIteration() {
        long stored = runs.sum() - runsAtStart;
        System.out.printf("  [writer CPU per stored run: %.1f us over %d runs]%n", (writerCpu() - cpuAtStart) / 1e3 / stored, stored);
    }

    long writerCpu() {
        return ManagementFactory.getThreadMXBean().getThreadCpuTime(writerThread);
    }

    @Benchmark
    public void storeRun() {
        Instant now = Instant.now();
        StoredRun run = new StoredRun(RunService.newId(now), "tenant", "calculator-native", "native", RunStore.RUNNING, "",
                "What is 17 * 23 + 4?", now, Optional.empty(), Optional.empty());
        RunStore.PendingStart pending = null;
        if (start.equals("queued")) {
            pending = store.insertRunLater(run);
        } else {
            store.insertRun(run);
        }
        store.finishRun(run, pending, "COMPLETED", Instant.now(), result, events,
                List.of(new ProviderUse("scripted", 2, 48, 12, 0.0)));
        runs.increment();
    }
}
