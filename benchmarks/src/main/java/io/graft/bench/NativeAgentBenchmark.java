package io.graft.bench;

import io.graft.core.Agent;
import io.graft.core.AgentResult;
import io.graft.core.AgentRuntime;
import io.graft.core.AgentTask;
import io.graft.core.RunContext;
import io.graft.core.agents.NativeAgentDefinitions;
import io.graft.core.model.ScriptedChatModel;
import io.graft.core.tool.ToolRegistry;
import java.time.Clock;
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
 * The native ReAct agent answering "17 * 23 + 4" (two model turns, one calculator call):
 * {@code execute} in-process, and the full {@code AgentRuntime.run} path (virtual thread,
 * deadline timer, metrics).
 */
@State(Scope.Benchmark)
@Fork(1)
@Warmup(iterations = 6, time = 3)
@Measurement(iterations = 5, time = 3)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class NativeAgentBenchmark {
    private AgentRuntime runtime;
    private Agent agent;
    private ScriptedChatModel model;
    private ToolRegistry tools;

    @Setup
    public void setUp() {
        model = Fixtures.model("native_react");
        tools = ToolRegistry.builtIns(Clock.systemUTC());
        agent = NativeAgentDefinitions.load(Fixtures.example("native_react/agent.json"));
        runtime = AgentRuntime.builder(model).tools(tools).build();
        runtime.register(agent);
    }

    @TearDown
    public void tearDown() {
        runtime.close();
    }

    @Benchmark
    public AgentResult execute() {
        AgentTask task = Fixtures.task(agent.name(), "What is 17 * 23 + 4?");
        return agent.execute(task, new RunContext(task, model, tools, Clock.systemUTC()));
    }

    @Benchmark
    public AgentResult runtimeRun() {
        return runtime.run(Fixtures.task(agent.name(), "What is 17 * 23 + 4?"));
    }
}
