package io.graft.bench;

import io.graft.nativecore.NativeApi;
import io.graft.nativecore.NativeBinding;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.PriorityQueue;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
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
 * Exact top-10 search over 100,000 x 384 float32 vectors (153.6 MB), one thread. The native scan
 * through FFM and JNA is compared with a pure-Java Vector API scan of the same data, and with
 * {@link #memoryBandwidth()}: a Vector API sum over an array as large as the corpus, which measures
 * this machine's single-core read bandwidth in the same run. Scan bandwidth = 153.6 MB / time.
 */
@State(Scope.Benchmark)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "--add-modules=jdk.incubator.vector", "-Xmx2g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 7, time = 2)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class ExactSearchBenchmark {
    static final int N = 100_000;
    static final int DIM = 384;
    static final int K = 10;
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    private final NativeApi ffm = NativeApi.of(NativeBinding.FFM);
    private final NativeApi jna = NativeApi.of(NativeBinding.JNA);
    private Path dir;
    private long handle;
    private float[] corpus;
    private float[] query;

    @Setup
    public void setUp() throws IOException {
        SplittableRandom random = new SplittableRandom(384);
        corpus = new float[N * DIM];
        for (int i = 0; i < N; i++) {
            normalizeInto(random, corpus, i * DIM);
        }
        query = new float[DIM];
        normalizeInto(random, query, 0);
        dir = Files.createTempDirectory("graft-exact");
        // Cosine over unit vectors: the library stores them as given, the Java scan uses plain dot products.
        handle = ffm.open(dir.resolve("c").toString(), DIM, 0, true, Long.MAX_VALUE);
        int batch = 5000;
        for (int start = 0; start < N; start += batch) {
            float[] vectors = new float[batch * DIM];
            System.arraycopy(corpus, start * DIM, vectors, 0, vectors.length);
            ffm.add(handle, batch, vectors, records(start, batch));
        }
    }

    private static void normalizeInto(SplittableRandom random, float[] out, int at) {
        double norm = 0;
        for (int j = 0; j < DIM; j++) {
            float x = (float) (random.nextDouble() * 2 - 1);
            out[at + j] = x;
            norm += x * x;
        }
        float inv = (float) (1 / Math.sqrt(norm));
        for (int j = 0; j < DIM; j++) {
            out[at + j] *= inv;
        }
    }

    private static byte[] records(int start, int n) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < n; i++) {
            byte[] text = ("v" + (start + i)).getBytes(java.nio.charset.StandardCharsets.UTF_8);
            out.writeBytes(new byte[] {(byte) text.length, 0, 0, 0});
            out.writeBytes(text);
            out.writeBytes(new byte[] {0, 0, 0, 0});
        }
        return out.toByteArray();
    }

    @TearDown
    public void tearDown() throws IOException {
        ffm.close(handle);
        TempDirs.delete(dir);
    }

    @Benchmark
    public long ffmExactSearch() {
        return ffm.search(handle, query, 1, K, new byte[0], 1).ids()[0];
    }

    @Benchmark
    public long jnaExactSearch() {
        return jna.search(handle, query, 1, K, new byte[0], 1).ids()[0];
    }

    /** The same scan in Java: Vector API dot products and a bounded heap. */
    @Benchmark
    public int javaVectorSearch() {
        PriorityQueue<long[]> top = new PriorityQueue<>(K + 1, (a, b) -> Float.compare(Float.intBitsToFloat((int) a[0]),
                Float.intBitsToFloat((int) b[0])));
        float worst = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < N; i++) {
            float s = dot(corpus, i * DIM, query);
            if (top.size() < K || s > worst) {
                top.add(new long[] {Float.floatToRawIntBits(s), i});
                if (top.size() > K) {
                    top.poll();
                }
                worst = Float.intBitsToFloat((int) top.peek()[0]);
            }
        }
        return (int) top.peek()[1];
    }

    private static float dot(float[] a, int offset, float[] q) {
        FloatVector acc0 = FloatVector.zero(S);
        FloatVector acc1 = FloatVector.zero(S);
        int step = S.length();
        int j = 0;
        for (; j + 2 * step <= DIM; j += 2 * step) {
            acc0 = FloatVector.fromArray(S, a, offset + j).fma(FloatVector.fromArray(S, q, j), acc0);
            acc1 = FloatVector.fromArray(S, a, offset + j + step).fma(FloatVector.fromArray(S, q, j + step), acc1);
        }
        float s = acc0.add(acc1).reduceLanes(VectorOperators.ADD);
        for (; j < DIM; j++) {
            s += a[offset + j] * q[j];
        }
        return s;
    }

    /** Single-core read bandwidth: sum an array as large as the corpus (which is far larger than the caches). */
    @Benchmark
    public float memoryBandwidth() {
        int step = S.length();
        FloatVector a0 = FloatVector.zero(S);
        FloatVector a1 = FloatVector.zero(S);
        FloatVector a2 = FloatVector.zero(S);
        FloatVector a3 = FloatVector.zero(S);
        float[] c = corpus;
        for (int j = 0; j + 4 * step <= c.length; j += 4 * step) {
            a0 = a0.add(FloatVector.fromArray(S, c, j));
            a1 = a1.add(FloatVector.fromArray(S, c, j + step));
            a2 = a2.add(FloatVector.fromArray(S, c, j + 2 * step));
            a3 = a3.add(FloatVector.fromArray(S, c, j + 3 * step));
        }
        return a0.add(a1).add(a2.add(a3)).reduceLanes(VectorOperators.ADD);
    }
}
