package io.graft.core.model;

/** Tokens a model call consumed. */
public record Usage(long inputTokens, long outputTokens) {
    public static final Usage ZERO = new Usage(0, 0);

    public Usage {
        if (inputTokens < 0 || outputTokens < 0) {
            throw new io.graft.core.GraftException("token counts must not be negative, were " + inputTokens + "/" + outputTokens);
        }
    }

    public long totalTokens() {
        return inputTokens + outputTokens;
    }

    public Usage plus(Usage other) {
        return new Usage(inputTokens + other.inputTokens, outputTokens + other.outputTokens);
    }
}
