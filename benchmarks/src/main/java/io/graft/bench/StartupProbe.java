package io.graft.bench;

import io.graft.core.AgentResult;
import io.graft.core.GraftException;
import io.graft.core.json.Json;
import io.graft.python.PythonSettings;
import io.graft.server.Graft;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Time from JVM start to the first completed LangGraph run, then the resident memory of the
 * process after warm runs. Run as a fresh JVM: {@code StartupProbe [WARM_RUNS]}.
 */
public final class StartupProbe {
    private StartupProbe() {}

    public static void main(String[] args) throws IOException {
        int warmRuns = args.length > 0 ? Integer.parseInt(args[0]) : 100;
        long jvmStart = ManagementFactory.getRuntimeMXBean().getStartTime();
        try (Graft graft = new Graft(Fixtures.model("langgraph_prebuilt"), PythonSettings.fromSystem())) {
            String agent = graft.load(Fixtures.example("langgraph_prebuilt/agent.py")).getFirst().name();
            AgentResult first = graft.runtime().run(Fixtures.task(agent, "What is 17 * 23 + 4?"));
            long firstRunMs = System.currentTimeMillis() - jvmStart;
            if (!first.completed()) {
                throw new GraftException("first run failed: " + first.error());
            }
            for (int i = 0; i < warmRuns; i++) {
                graft.runtime().run(Fixtures.task(agent, "What is 17 * 23 + 4?"));
            }
            System.gc();
            System.out.println(Json.write(Map.of(
                    "start_to_first_langgraph_run_ms", firstRunMs,
                    "python_contexts", graft.python().pool().size(),
                    "warm_runs", warmRuns,
                    "rss_mib", rssKib() / 1024.0,
                    "heap_used_mib", (Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory()) / 1048576.0)));
        }
    }

    private static long rssKib() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", ""));
            }
        }
        return -1;
    }
}
