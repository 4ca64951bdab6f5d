package io.graft.bench;

import io.graft.nativecore.NativeApi;
import io.graft.nativecore.NativeBinding;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Agent-sized memory operations through FFM: a durable add (appended and fsynced before it
 * returns) and top-10 searches over 20,000 x 384 vectors, exact and through the HNSW index.
 */
@State(Scope.Benchmark)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "-Xmx1g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class MemoryOpsBenchmark {
    static final int N = 20_000;
    static final int DIM = 384;
    private static final byte[] RECORD = {4, 0, 0, 0, 'n', 'o', 't', 'e', 0, 0, 0, 0};

    private final NativeApi ffm = NativeApi.of(NativeBinding.FFM);
    private Path dir;
    private long corpus;
    private long writes;
    private float[] vector;
    private float[][] queries;
    private int next;

    @Setup
    public void setUp() throws IOException {
        SplittableRandom random = new SplittableRandom(20);
        dir = Files.createTempDirectory("graft-ops");
        corpus = ffm.open(dir.resolve("corpus").toString(), DIM, 0, true, N);
        writes = ffm.open(dir.resolve("writes").toString(), DIM, 0, true, Long.MAX_VALUE);
        int batch = 1000;
        byte[] records = new byte[RECORD.length * batch];
        for (int i = 0; i < batch; i++) {
            System.arraycopy(RECORD, 0, records, i * RECORD.length, RECORD.length);
        }
        for (int start = 0; start < N; start += batch) {
            ffm.add(corpus, batch, randomVectors(random, batch), records);
        }
        vector = randomVectors(random, 1);
        queries = new float[64][];
        int found = 0;
        for (int i = 0; i < queries.length; i++) {
            queries[i] = randomVectors(random, 1);
            NativeApi.Hits exact = ffm.search(corpus, queries[i], 1, 10, new byte[0], 1);
            NativeApi.Hits approximate = ffm.search(corpus, queries[i], 1, 10, new byte[0], 2);
            found += ClusteredCorpus.overlap(Arrays.copyOf(exact.ids(), exact.counts()[0]), approximate.ids(), approximate.counts()[0]);
        }
        // Uniform random vectors have no neighbourhood structure: the index's recall here is low
        // (see IndexThresholdBenchmark for clustered data).
        System.out.println(String.format(Locale.ROOT, "%n[ops] HNSW recall@10 on uniform random 384-d vectors: %.3f",
                found / (double) (queries.length * 10)));
    }

    private static float[] randomVectors(SplittableRandom random, int n) {
        float[] v = new float[n * DIM];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) random.nextGaussian();
        }
        return v;
    }

    @TearDown
    public void tearDown() throws IOException {
        ffm.close(corpus);
        ffm.close(writes);
        TempDirs.delete(dir);
    }

    @Benchmark
    public long addDurable() {
        return ffm.add(writes, 1, vector, RECORD)[0];
    }

    @Benchmark
    public long searchExact20k() {
        return ffm.search(corpus, queries[next++ & 63], 1, 10, new byte[0], 1).ids()[0];
    }

    @Benchmark
    public long searchHnsw20k() {
        return ffm.search(corpus, queries[next++ & 63], 1, 10, new byte[0], 2).ids()[0];
    }
}
