package io.graft.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.graft.core.AgentResult;
import io.graft.core.AgentRuntime;
import io.graft.core.Step;
import io.graft.core.agents.NativeAgentDefinitions;
import io.graft.core.json.Json;
import io.graft.core.json.ResultJson;
import io.graft.core.tool.ToolRegistry;
import java.time.Clock;
import java.util.Map;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * Writing the JSON of what a stored native run publishes: a token event, a model turn's step and
 * the run's whole result (the native ReAct example's). {@code Json.write} (a streaming generator
 * over maps and lists) against the mapper's {@code writeValueAsString}, the baseline, which
 * {@code Json.write} was before.
 */
@State(Scope.Benchmark)
@Fork(2)
@Warmup(iterations = 4, time = 2)
@Measurement(iterations = 5, time = 2)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class JsonWriteBenchmark {
    @Param({"token", "step", "result"})
    public String what;

    private Object value;

    @Setup
    public void setUp() {
        var model = Fixtures.model("native_react");
        try (AgentRuntime runtime = AgentRuntime.builder(model).tools(ToolRegistry.builtIns(Clock.systemUTC())).build()) {
            runtime.register(NativeAgentDefinitions.load(Fixtures.example("native_react/agent.json")));
            AgentResult result = runtime.run(Fixtures.task("calculator-native", "What is 17 * 23 + 4?"));
            Step turn = result.steps().stream().filter(Step.LlmCall.class::isInstance).findFirst().orElseThrow();
            value = switch (what) {
                case "token" -> Map.of("agent", "calculator-native", "text", "395.");
                case "step" -> ResultJson.step(turn);
                default -> ResultJson.result(result);
            };
        }
    }

    @Benchmark
    public String jsonWrite() {
        return Json.write(value);
    }

    @Benchmark
    public String mapperWriteValueAsString() throws JsonProcessingException {
        return Json.mapper().writeValueAsString(value);
    }
}
