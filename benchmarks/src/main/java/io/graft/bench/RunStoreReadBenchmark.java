package io.graft.bench;

import io.graft.server.http.RunService;
import io.graft.server.http.RunStore;
import io.graft.server.http.RunStore.ProviderUse;
import io.graft.server.http.RunStore.StoredEvent;
import io.graft.server.http.RunStore.StoredRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
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
 * What H2's page cache size costs readers: {@code GET /v1/runs/{id}} and an event replay of a
 * stored run, picked at random among {@code runs} stored runs (each as the server stores a
 * native run: a 2 KB result, 17 events, its usage). {@code cacheKb} is H2's {@code CACHE_SIZE}:
 * 16384 is H2's default at a 1 GB heap, 2048 Graft's default.
 */
@State(Scope.Benchmark)
@Fork(2)
@Threads(4)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class RunStoreReadBenchmark {
    @Param({"16384", "2048"})
    public int cacheKb;

    @Param({"20000"})
    public int runs;

    private Path dir;
    private RunStore store;
    private final List<String> ids = new ArrayList<>();

    @Setup
    public void open() throws IOException {
        dir = Files.createTempDirectory("graft-store-read-bench");
        store = new RunStore("jdbc:h2:file:" + dir.resolve("db") + ";CACHE_SIZE=" + cacheKb, "sa", "");
        String result = Fixtures.storedResult(2000);
        List<StoredEvent> events = Fixtures.storedEvents(result);
        CompletableFuture<Void> last = null;
        for (int i = 0; i < runs; i++) {
            Instant now = Instant.now();
            StoredRun run = new StoredRun(RunService.newId(now), "tenant", "calculator-native", "native", RunStore.RUNNING, "",
                    "What is 17 * 23 + 4?", now, Optional.empty(), Optional.empty());
            last = store.finishRunLater(run, store.insertRunLater(run), "COMPLETED", now, result, events,
                    List.of(new ProviderUse("scripted", 2, 48, 12, 0.0)), List.of());
            ids.add(run.id());
        }
        last.join(); // the writer applies writes in order: all are stored
    }

    @TearDown
    public void close() throws IOException {
        store.close();
        TempDirs.delete(dir);
    }

    @Benchmark
    public int readRunAndEvents() {
        String id = ids.get(ThreadLocalRandom.current().nextInt(ids.size()));
        StoredRun run = store.run("tenant", id).orElseThrow();
        return run.result().orElseThrow().length() + store.events(id, 0).size();
    }
}
