package io.graft.core;

import java.time.Duration;

/** What a run cost. */
public record RunMetrics(Duration wallTime, int llmCalls, int toolCalls, long inputTokens, long outputTokens) {
    public static final RunMetrics EMPTY = new RunMetrics(Duration.ZERO, 0, 0, 0, 0);

    public long totalTokens() {
        return inputTokens + outputTokens;
    }
}
