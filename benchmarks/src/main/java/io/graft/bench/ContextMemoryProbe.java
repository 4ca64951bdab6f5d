package io.graft.bench;

import io.graft.core.Agent;
import io.graft.core.AgentResult;
import io.graft.core.AgentRuntime;
import io.graft.core.GraftException;
import io.graft.core.json.Json;
import io.graft.python.PythonSettings;
import io.graft.server.Graft;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Resident memory of a process whose pooled contexts have all three frameworks loaded (LangChain/
 * LangGraph, AutoGen, CrewAI) and have run an agent of each. Run once per pool size as a fresh JVM,
 * {@code ContextMemoryProbe CONTEXTS [RUNS_PER_AGENT]}; the difference between two pool sizes is
 * the warm cost of one context.
 */
public final class ContextMemoryProbe {
    private static final List<String> EXAMPLES = List.of("langgraph_prebuilt", "autogen_round_robin", "crewai_sequential");

    private ContextMemoryProbe() {}

    public static void main(String[] args) throws Exception {
        int contexts = Integer.parseInt(args[0]);
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        try (Graft graft = new Graft(Fixtures.model(EXAMPLES.getFirst()), PythonSettings.fromSystem().withPoolSize(contexts))) {
            if (!graft.python().pool().awaitWarm(Duration.ofMinutes(20))) {
                throw new GraftException("the pool did not warm in 20 minutes");
            }
            for (String example : EXAMPLES) {
                // Each example has its own scripted model, so each gets a runtime; they share the pool.
                try (AgentRuntime runtime = AgentRuntime.builder(Fixtures.model(example)).tools(graft.runtime().tools()).build()) {
                    Agent agent = graft.python().load(Fixtures.example(example + "/agent.py")).getFirst();
                    runtime.register(agent);
                    // Concurrent runs, so that every context loads and runs the agent.
                    List<Future<AgentResult>> results = new ArrayList<>();
                    try (ExecutorService clients = Executors.newFixedThreadPool(contexts)) {
                        for (int i = 0; i < runs; i++) {
                            results.add(clients.submit(() -> runtime.run(Fixtures.task(agent.name(), "What is 17 * 23 + 4?"))));
                        }
                    }
                    for (Future<AgentResult> result : results) {
                        if (!result.get().completed()) {
                            throw new GraftException(example + " failed: " + result.get().error());
                        }
                    }
                }
            }
            System.gc();
            System.out.println(Json.write(Map.of(
                    "python_contexts", contexts,
                    "frameworks", "langchain,autogen,crewai",
                    "rss_mib", rssKib() / 1024.0,
                    "heap_used_mib", (Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory()) / 1048576.0)));
        }
    }

    static long rssKib() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", ""));
            }
        }
        return -1;
    }
}
