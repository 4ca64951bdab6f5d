package io.graft.bench;

import io.graft.nativecore.NativeApi;
import io.graft.nativecore.NativeBinding;
import io.graft.nativecore.NativeMemoryStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Single-thread top-10 latency over {@link ClusteredCorpus} (1M x 128, cosine) through FFM: the
 * HNSW index (auto mode, default ef_search) against the exact scan of the same collection.
 *
 * <p>Loading and indexing 1M vectors takes minutes, so both benchmarks share one collection: the
 * class runs without forking ({@code @Fork(0)}) and the collection is built once per JVM. The set-up
 * prints the load time (durable batches of 10,000 with the index maintained from the default threshold on)
 * and the recall@10 of the index against the exact scan over 1,000 queries.
 * {@link ApproximateSearchProbe} gives the build-time, memory and ef_search sweep figures.
 */
@State(Scope.Benchmark)
@Fork(0)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 4)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class ApproximateSearchBenchmark {
    private static final NativeApi FFM = NativeApi.of(NativeBinding.FFM);
    private static long handle;
    private static float[][] queries;

    private int next;

    private static synchronized void loadOnce() throws IOException {
        if (queries != null) {
            return;
        }
        ClusteredCorpus corpus = new ClusteredCorpus();
        Path dir = Files.createTempDirectory("graft-ann-jmh");
        long t0 = System.nanoTime();
        handle = corpus.load(FFM, dir.resolve("c"), NativeMemoryStore.DEFAULT_HNSW_THRESHOLD);
        double loadSeconds = (System.nanoTime() - t0) / 1e9;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            FFM.close(handle);
            try {
                TempDirs.delete(dir);
            } catch (IOException e) {
                System.err.println("cannot delete " + dir + ": " + e.getMessage());
            }
        }));
        float[] flat = corpus.queries();
        long[][] truth = ClusteredCorpus.exactTopK(FFM, handle, flat, ClusteredCorpus.DIM);
        int d = ClusteredCorpus.DIM;
        float[][] qs = new float[ClusteredCorpus.QUERIES][];
        int found = 0;
        for (int i = 0; i < qs.length; i++) {
            qs[i] = Arrays.copyOfRange(flat, i * d, (i + 1) * d);
            NativeApi.Hits hits = FFM.search(handle, qs[i], 1, ClusteredCorpus.K, new byte[0], 0);
            found += ClusteredCorpus.overlap(truth[i], hits.ids(), hits.counts()[0]);
        }
        System.out.println(String.format(Locale.ROOT, "%n[corpus] %d x %d loaded and indexed in %.1f s; recall@10 %.4f over %d queries",
                ClusteredCorpus.N, d, loadSeconds, found / (double) (qs.length * ClusteredCorpus.K), qs.length));
        queries = qs;
    }

    @Setup
    public void setUp() throws IOException {
        loadOnce();
    }

    private float[] query() {
        return queries[next++ % queries.length];
    }

    @Benchmark
    public long hnswTop10() {
        return FFM.search(handle, query(), 1, ClusteredCorpus.K, new byte[0], 0).ids()[0];
    }

    @Benchmark
    public long exactTop10() {
        return FFM.search(handle, query(), 1, ClusteredCorpus.K, new byte[0], 1).ids()[0];
    }
}
