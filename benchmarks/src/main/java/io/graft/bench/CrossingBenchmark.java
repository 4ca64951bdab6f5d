package io.graft.bench;

import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.HostAccess;
import org.graalvm.polyglot.PolyglotAccess;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.Value;
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

/** The cost of calling from Java into Python and from there back into Java, against a Python-only call. */
@State(Scope.Benchmark)
@Fork(1)
@Warmup(iterations = 6, time = 3)
@Measurement(iterations = 5, time = 3)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class CrossingBenchmark {
    private Context context;
    private Value cross;
    private Value pythonOnly;
    private int i;

    /** The Java side of the crossing. */
    public static final class Echo {
        @HostAccess.Export
        public int echo(int x) {
            return x + 1;
        }
    }

    @Setup
    public void setUp() throws IOException {
        context = Context.newBuilder("python")
                .allowHostAccess(HostAccess.EXPLICIT)
                .allowPolyglotAccess(PolyglotAccess.ALL)
                .build();
        context.getPolyglotBindings().putMember("bench_echo", new Echo());
        try (var in = new InputStreamReader(CrossingBenchmark.class.getResourceAsStream("/bench/crossing.py"), StandardCharsets.UTF_8)) {
            context.eval(Source.newBuilder("python", in, "crossing.py").build());
        }
        cross = context.getBindings("python").getMember("cross");
        pythonOnly = context.getBindings("python").getMember("python_only");
    }

    @TearDown
    public void tearDown() {
        context.close();
    }

    @Benchmark
    public int javaToPythonToJava() {
        return cross.execute(i++).asInt();
    }

    @Benchmark
    public int javaToPython() {
        return pythonOnly.execute(i++).asInt();
    }
}
