package io.graft.server.cli;

import io.graft.core.Agent;
import io.graft.core.AgentResult;
import io.graft.core.AgentTask;
import io.graft.core.GraftException;
import io.graft.core.model.ChatModels;
import io.graft.python.PythonSettings;
import io.graft.server.Graft;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code graft demo}: a native Java agent and a real LangGraph agent answer the same task with
 * the same scripted model and calculator tool; prints their answers and costs side by side.
 */
final class DemoCommand {
    static final Map<String, Boolean> OPTIONS = Map.of("examples", true, "input", true, "warm-runs", true);
    private static final String TASK = "What is 17 * 23 + 4?";

    private DemoCommand() {}

    static int execute(Arguments args, PrintStream out) {
        Path examples = Path.of(args.option("examples").orElse(System.getProperty("graft.home", ".") + "/examples"));
        Path nativeAgent = examples.resolve("native_react/agent.json");
        Path graphAgent = examples.resolve("langgraph_prebuilt/agent.py");
        for (Path p : List.of(nativeAgent, graphAgent)) {
            if (!Files.isRegularFile(p)) {
                throw new GraftException("demo needs " + p + " (pass --examples DIR to point at the examples folder)");
            }
        }
        String input = args.option("input").orElse(TASK);
        int warmRuns = Integer.parseInt(args.option("warm-runs").orElse("200"));
        var model = ChatModels.fromSpec("scripted:" + examples.resolve("langgraph_prebuilt/scripted.json"), Path.of("."));
        out.println("Task: " + input);
        out.println("Model: " + model.name() + " (deterministic, offline)");
        out.println();
        // The demo runs its agents one after the other: one context serves them all.
        try (Graft graft = new Graft(model, PythonSettings.fromSystem().withPoolSize(1).withWarmFrameworks(List.of("langchain")))) {
            // Importing LangChain and LangGraph into a fresh GraalPy context takes a minute or two on 2 cores.
            out.println("Starting GraalPy and importing LangChain and LangGraph"
                    + " (a minute or two on 2 cores; the runs after that are fast)...");
            out.flush();
            long t0 = System.nanoTime();
            List<Agent> agents = new ArrayList<>(graft.load(nativeAgent));
            agents.addAll(graft.load(graphAgent));
            var pool = graft.python().pool();
            out.printf(Locale.ROOT, "Loaded %d agents in %s (GraalPy runtime: %s)%n", agents.size(),
                    Report.millis(System.nanoTime() - t0), pool.engine().runtimeName());
            try {
                // Measure with every context warm, not while the others still import in the background.
                pool.awaitWarm(java.time.Duration.ofMinutes(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            out.printf(Locale.ROOT, "%d Python contexts warm after %s%n%n", pool.ready(), Report.millis(System.nanoTime() - t0));
            List<String[]> rows = new ArrayList<>();
            boolean allCompleted = true;
            for (Agent agent : agents) {
                AgentResult first = graft.runtime().run(AgentTask.of(agent.name(), input));
                double[] warm = new double[warmRuns];
                for (int i = 0; i < warmRuns; i++) {
                    warm[i] = graft.runtime().run(AgentTask.of(agent.name(), input)).metrics().wallTime().toNanos();
                }
                Arrays.sort(warm);
                allCompleted &= first.completed();
                rows.add(new String[] {agent.name(), agent.descriptor().framework().id(), first.status().name(),
                        Report.millis(first.metrics().wallTime().toNanos()),
                        warmRuns == 0 ? "-" : Report.millis(warm[warmRuns / 2]),
                        String.valueOf(first.metrics().llmCalls()), String.valueOf(first.metrics().toolCalls()),
                        String.valueOf(first.metrics().totalTokens()), first.completed() ? first.output()
                                : first.error().map(e -> e.type() + ": " + e.message()).orElse("")});
            }
            table(out, new String[] {"agent", "framework", "status", "first run", "warm p50", "LLM calls", "tool calls",
                    "tokens", "answer"}, rows);
            out.printf(Locale.ROOT, "%nwarm p50: median wall time of %d further runs of each agent in this process.%n", warmRuns);
            return allCompleted ? 0 : 3;
        }
    }

    private static void table(PrintStream out, String[] header, List<String[]> rows) {
        int[] width = new int[header.length];
        for (int i = 0; i < header.length; i++) {
            width[i] = header[i].length();
            for (String[] r : rows) {
                width[i] = Math.max(width[i], r[i].length());
            }
        }
        StringBuilder rule = new StringBuilder();
        for (int w : width) {
            rule.append("-".repeat(w)).append("  ");
        }
        out.println(line(header, width));
        out.println(rule.toString().stripTrailing());
        rows.forEach(r -> out.println(line(r, width)));
    }

    private static String line(String[] cells, int[] width) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < cells.length; i++) {
            b.append(String.format(Locale.ROOT, "%-" + width[i] + "s", cells[i])).append("  ");
        }
        return b.toString().stripTrailing();
    }
}
