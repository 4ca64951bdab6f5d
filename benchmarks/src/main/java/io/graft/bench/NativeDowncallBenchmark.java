package io.graft.bench;

import io.graft.nativecore.NativeApi;
import io.graft.nativecore.NativeBinding;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
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
 * The cost of one call into the native library: {@code graft_count} on a collection through FFM and
 * through JNA, against the same question asked of a Java map (the pure-Java baseline).
 */
@State(Scope.Benchmark)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 7, time = 1)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class NativeDowncallBenchmark {
    private final NativeApi ffm = NativeApi.of(NativeBinding.FFM);
    private final NativeApi jna = NativeApi.of(NativeBinding.JNA);
    private final Map<Long, String> javaMemory = new ConcurrentHashMap<>();
    private Path dir;
    private long handle;

    @Setup
    public void setUp() throws IOException {
        dir = Files.createTempDirectory("graft-downcall");
        handle = ffm.open(dir.resolve("c").toString(), 4, 0, true, Long.MAX_VALUE);
        ffm.add(handle, 1, new float[] {1, 0, 0, 0}, encodedRecord());
        javaMemory.put(1L, "x");
    }

    /** One record "x" without metadata, in the C ABI's record format. */
    private static byte[] encodedRecord() {
        return new byte[] {1, 0, 0, 0, 'x', 0, 0, 0, 0};
    }

    @TearDown
    public void tearDown() throws IOException {
        ffm.close(handle);
        TempDirs.delete(dir);
    }

    @Benchmark
    public long ffmCount() {
        return ffm.count(handle);
    }

    @Benchmark
    public long jnaCount() {
        return jna.count(handle);
    }

    @Benchmark
    public long javaCount() {
        return javaMemory.size();
    }
}
