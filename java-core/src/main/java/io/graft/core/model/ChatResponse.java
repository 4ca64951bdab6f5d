package io.graft.core.model;

import java.util.Objects;

/**
 * A model's answer.
 *
 * @param message the assistant message, with any tool calls
 * @param usage tokens consumed
 * @param model the model that answered
 * @param finishReason why generation stopped: {@code stop}, {@code tool_calls}, {@code length}, ...
 * @param provider the provider that served the call ({@code openai}, {@code local-vllm}); empty for in-process models
 * @param costUsd what the call cost in US dollars by the configured prices; zero when unpriced
 */
public record ChatResponse(ChatMessage message, Usage usage, String model, String finishReason, String provider, double costUsd) {
    public ChatResponse {
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(usage, "usage");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(finishReason, "finishReason");
        Objects.requireNonNull(provider, "provider");
        if (!(costUsd >= 0)) {
            throw new ModelException("costUsd must not be negative, was " + costUsd);
        }
    }

    /** An answer from an in-process model: no provider, no cost. */
    public ChatResponse(ChatMessage message, Usage usage, String model, String finishReason) {
        this(message, usage, model, finishReason, "", 0);
    }

    /** This answer as served by {@code provider} at {@code costUsd}. */
    public ChatResponse served(String provider, double costUsd) {
        return new ChatResponse(message, usage, model, finishReason, provider, costUsd);
    }
}
