package io.graft.core;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * What a run cost.
 *
 * @param costUsd the model calls' cost in US dollars by the configured prices; zero when unpriced
 * @param providers model calls, tokens and cost per provider that served the run ({@code scripted} models
 *     count under their model name)
 */
public record RunMetrics(Duration wallTime, int llmCalls, int toolCalls, long inputTokens, long outputTokens, double costUsd,
        Map<String, ProviderUsage> providers) {
    public static final RunMetrics EMPTY = new RunMetrics(Duration.ZERO, 0, 0, 0, 0);

    public RunMetrics {
        Objects.requireNonNull(wallTime, "wallTime");
        providers = Map.copyOf(providers);
    }

    /** Metrics without provider accounting. */
    public RunMetrics(Duration wallTime, int llmCalls, int toolCalls, long inputTokens, long outputTokens) {
        this(wallTime, llmCalls, toolCalls, inputTokens, outputTokens, 0, Map.of());
    }

    public long totalTokens() {
        return inputTokens + outputTokens;
    }

    /** The model calls one provider served in a run. */
    public record ProviderUsage(int calls, long inputTokens, long outputTokens, double costUsd) {
        public ProviderUsage plus(ProviderUsage o) {
            return new ProviderUsage(calls + o.calls, inputTokens + o.inputTokens, outputTokens + o.outputTokens, costUsd + o.costUsd);
        }
    }
}
