package io.graft.server.cli;

import io.graft.core.AgentResult;
import io.graft.core.RunMetrics;
import java.io.PrintStream;
import java.util.Locale;

/** Human-readable output of runs. */
final class Report {
    private Report() {}

    static void print(AgentResult r, PrintStream out) {
        if (r.completed()) {
            out.println(r.output());
        } else {
            r.error().ifPresent(e -> {
                out.println(r.status() + ": " + e.type() + ": " + e.message());
                e.tracebackText().ifPresent(out::println);
            });
        }
        out.println();
        out.println(summary(r));
    }

    static String summary(AgentResult r) {
        RunMetrics m = r.metrics();
        String base = String.format(Locale.ROOT, "%s · %s · %s · %s · %d LLM call%s · %d tool call%s · %d tokens",
                r.status(), r.framework().id(), r.agent(), millis(m.wallTime().toNanos()), m.llmCalls(),
                m.llmCalls() == 1 ? "" : "s", m.toolCalls(), m.toolCalls() == 1 ? "" : "s", m.totalTokens());
        // Provider accounting only when a router served the run; the scripted model has no price.
        if (m.costUsd() > 0 || m.providers().keySet().stream().anyMatch(p -> !p.startsWith("scripted:"))) {
            base += String.format(Locale.ROOT, " · $%.6f · %s", m.costUsd(), String.join(", ", new java.util.TreeSet<>(m.providers().keySet())));
        }
        return base;
    }

    static String millis(double nanos) {
        double ms = nanos / 1e6;
        return ms < 10 ? String.format(Locale.ROOT, "%.2f ms", ms) : String.format(Locale.ROOT, "%.0f ms", ms);
    }
}
