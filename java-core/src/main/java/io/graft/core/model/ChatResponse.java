package io.graft.core.model;

import java.util.Objects;

/**
 * A model's answer.
 *
 * @param message the assistant message, with any tool calls
 * @param usage tokens consumed
 * @param model the model that answered
 * @param finishReason why generation stopped: {@code stop}, {@code tool_calls}, {@code length}, ...
 */
public record ChatResponse(ChatMessage message, Usage usage, String model, String finishReason) {
    public ChatResponse {
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(usage, "usage");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(finishReason, "finishReason");
    }
}
