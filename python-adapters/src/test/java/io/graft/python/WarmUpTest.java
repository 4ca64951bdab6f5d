package io.graft.python;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.graft.core.AgentResult;
import io.graft.core.AgentRuntime;
import io.graft.core.AgentTask;
import io.graft.core.RunStatus;
import io.graft.core.model.ChatModel;
import io.graft.core.model.ChatRequest;
import io.graft.core.model.ChatResponse;
import io.graft.core.model.ScriptedChatModel;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Warm-up runs on a pool of its own (one context, LangChain imported): ready only after them. */
class WarmUpTest {

    /** Counts the calls warm-up runs make. */
    static final class CountingModel implements ChatModel {
        final ChatModel inner = ScriptedChatModel.fromFile(SharedPython.example("lcel_chain/scripted.json"));
        final AtomicInteger calls = new AtomicInteger();

        @Override
        public ChatResponse chat(ChatRequest request) {
            calls.incrementAndGet();
            return inner.chat(request);
        }

        @Override
        public String name() {
            return "counting";
        }
    }

    @Test
    void thePoolIsReadyOnlyAfterTheWarmUpWhichYieldsToRealRunsAndSkipsAFailingAgent() throws Exception {
        PythonEngine engine = new PythonEngine(PythonSettings.fromSystem().withPoolSize(1).withWarmFrameworks(List.of("langchain")));
        try (engine; PythonPool pool = new PythonPool(engine, SharedPython.TOOLS)) {
            PythonAgents agents = new PythonAgents(pool);
            var chain = agents.load(SharedPython.example("lcel_chain/agent.py"));
            agents.load(SharedPython.script("raises.py"));
            assertTrue(pool.health().ready(), "without a warm-up a started context is ready");
            AgentRuntime runtime = AgentRuntime.builder(ScriptedChatModel.fromFile(SharedPython.example("lcel_chain/scripted.json")))
                    .tools(SharedPython.TOOLS).build();
            chain.forEach(runtime::register);
            String agent = chain.getFirst().descriptor().name();

            CountingModel model = new CountingModel();
            agents.warmUp(model, Duration.ofSeconds(20));
            assertFalse(pool.health().ready(), "warming: " + pool.health().detail());

            // A run sent while the only context warms up gets it between two warm-up runs,
            // long before the 20 s warm-up is over.
            AgentResult during = runtime.run(AgentTask.of(agent, "What is GraalPy?"));
            assertEquals(RunStatus.COMPLETED, during.status(), during.toString());
            assertFalse(pool.health().ready(), "the warm-up goes on after lending its context: " + pool.health().detail());

            assertTrue(pool.awaitWarm(Duration.ofMinutes(2)), pool.health().detail());
            assertTrue(model.calls.get() >= 2, "the chain ran during the warm-up: " + model.calls.get() + " model calls");
            assertEquals(Set.of("raises"), agents.notWarmedUp());
            int afterWarmUp = model.calls.get();

            AgentResult after = runtime.run(AgentTask.of(agent, "What is GraalPy?"));
            assertEquals(RunStatus.COMPLETED, after.status(), after.toString());
            assertEquals(afterWarmUp, model.calls.get(), "warm-up runs stopped once the context was ready");
        }
    }
}
