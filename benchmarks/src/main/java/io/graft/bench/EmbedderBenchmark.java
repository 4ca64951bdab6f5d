package io.graft.bench;

import io.graft.nativecore.embed.MiniLmEmbedder;
import java.util.ArrayList;
import java.util.List;
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
 * Latency of the default offline embedder (all-MiniLM-L6-v2 on ONNX Runtime): one short sentence,
 * a batch of 32 short sentences (divide by 32 for the cost per text, the ratio to {@code single} is
 * what batching saves), and a repeated text served by the optional cache.
 */
@State(Scope.Benchmark)
@Fork(1)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class EmbedderBenchmark {
    private static final String[] SUBJECTS = {"The cat", "Our team", "The agent", "A customer", "The server",
        "My neighbour", "The model", "This report", "The kitten", "A new user", "The index", "Your order",
        "The store", "A researcher", "The crew", "The planner"};
    private static final String[] PREDICATES = {"sits on the mat", "grew revenue by 8% this quarter",
        "asked how to reset a password", "answered in under a millisecond"};

    /** ONNX Runtime threads inside one call: 1, or one per core of this 2-core machine. */
    @Param({"1", "2"})
    public int threads;

    private MiniLmEmbedder embedder;
    private MiniLmEmbedder cached;
    private List<String> batch;
    private int next;

    @Setup
    public void setUp() {
        embedder = MiniLmEmbedder.builder().threads(threads).cacheSize(0).build();
        cached = MiniLmEmbedder.builder().threads(threads).cacheSize(1_000).build();
        batch = new ArrayList<>();
        for (int i = 0; i < 32; i++) {
            batch.add(SUBJECTS[i % SUBJECTS.length] + " " + PREDICATES[i % PREDICATES.length]);
        }
        // Load the models outside the measurement.
        embedder.embed(batch);
        cached.embed(batch.getFirst());
    }

    @TearDown
    public void tearDown() {
        embedder.close();
        cached.close();
    }

    /** One short sentence (9 word pieces with the frame), uncached: a query embedded for a search. */
    @Benchmark
    public float[] single() {
        // Rotating through the batch keeps the input realistic; no cache is on.
        next = (next + 1) % batch.size();
        return embedder.embed(batch.get(next));
    }

    /** 32 short sentences in one call: documents added to memory in bulk. */
    @Benchmark
    public List<float[]> batchOf32() {
        return embedder.embed(batch);
    }

    /** A text embedded before, served from the cache (a copy of the stored vector). */
    @Benchmark
    public float[] cacheHit() {
        return cached.embed(batch.getFirst());
    }
}
