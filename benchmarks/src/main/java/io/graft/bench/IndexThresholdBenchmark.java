package io.graft.bench;

import io.graft.nativecore.NativeApi;
import io.graft.nativecore.NativeBinding;
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
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Where the HNSW index starts to pay: single-thread top-10 over agent-sized collections of
 * clustered 384-d vectors (the dimension of the default embedder; {@link ClusteredCorpus} data with
 * 256 centres), exact scan against the index (default ef_search), per collection size. The set-up
 * prints the index's recall@10 against the exact scan over 200 queries.
 */
@State(Scope.Benchmark)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "-Xmx1g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class IndexThresholdBenchmark {
    static final int DIM = 384;

    @Param({"2000", "5000", "10000", "20000"})
    public int n;

    private final NativeApi ffm = NativeApi.of(NativeBinding.FFM);
    private Path dir;
    private long handle;
    private float[][] queries;
    private int next;

    @Setup
    public void setUp() throws IOException {
        ClusteredCorpus corpus = new ClusteredCorpus(DIM, 256);
        dir = Files.createTempDirectory("graft-threshold");
        // Indexed from the first vector, so both modes search the same collection.
        handle = corpus.load(ffm, dir.resolve("c"), 1, n);
        float[] flat = Arrays.copyOf(corpus.queries(), 200 * DIM);
        long[][] truth = ClusteredCorpus.exactTopK(ffm, handle, flat, DIM);
        queries = new float[truth.length][];
        int found = 0;
        for (int i = 0; i < queries.length; i++) {
            queries[i] = Arrays.copyOfRange(flat, i * DIM, (i + 1) * DIM);
            NativeApi.Hits hits = ffm.search(handle, queries[i], 1, 10, new byte[0], 2);
            found += ClusteredCorpus.overlap(truth[i], hits.ids(), hits.counts()[0]);
        }
        System.out.println(String.format(Locale.ROOT, "%n[threshold] n=%d x %d recall@10 of the index %.4f", n, DIM,
                found / (double) (queries.length * 10)));
    }

    @TearDown
    public void tearDown() throws IOException {
        ffm.close(handle);
        TempDirs.delete(dir);
    }

    @Benchmark
    public long exact() {
        return ffm.search(handle, queries[next++ % queries.length], 1, 10, new byte[0], 1).ids()[0];
    }

    @Benchmark
    public long hnsw() {
        return ffm.search(handle, queries[next++ % queries.length], 1, 10, new byte[0], 2).ids()[0];
    }
}
