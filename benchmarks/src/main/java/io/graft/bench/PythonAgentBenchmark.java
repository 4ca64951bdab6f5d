package io.graft.bench;

import io.graft.core.AgentResult;
import io.graft.core.GraftException;
import io.graft.python.PythonSettings;
import io.graft.server.Graft;
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
 * Real LangChain / LangGraph / AutoGen agents run through Graft with the scripted model: the
 * single-step LCEL chain, the prebuilt LangGraph ReAct agent (two model turns, one Java tool
 * call) and a two-agent AutoGen RoundRobinGroupChat (three model turns, one Java tool call).
 */
@State(Scope.Benchmark)
@Fork(1)
@Warmup(iterations = 12, time = 15)
@Measurement(iterations = 5, time = 5)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class PythonAgentBenchmark {
    @Param({"lcel_chain", "langgraph_prebuilt", "autogen_round_robin", "crewai_sequential"})
    public String example;

    private Graft graft;
    private String agent;

    @Setup
    public void setUp() {
        graft = new Graft(Fixtures.model(example), PythonSettings.fromSystem().withPoolSize(1));
        agent = graft.load(Fixtures.example(example + "/agent.py")).getFirst().name();
        AgentResult check = graft.runtime().run(Fixtures.task(agent, "What is 17 * 23 + 4?"));
        if (!check.completed()) {
            throw new GraftException("benchmark agent failed: " + check.error());
        }
    }

    @TearDown
    public void tearDown() {
        graft.close();
    }

    @Benchmark
    public AgentResult run() {
        return graft.runtime().run(Fixtures.task(agent, "What is 17 * 23 + 4?"));
    }
}
