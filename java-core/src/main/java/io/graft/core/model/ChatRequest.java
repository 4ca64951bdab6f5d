package io.graft.core.model;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One call to a chat model.
 *
 * @param messages the conversation so far, oldest first
 * @param tools tools the model may call; empty for plain generation
 * @param options provider options (temperature, max_tokens, stop, ...), passed through as given
 * @param conversation identifies the run the call belongs to, so stateful models (the scripted one)
 *     keep a cursor per run; empty when the caller has no run
 * @param scope who calls and under which deadline and policy; read by routers, ignored by plain models
 */
public record ChatRequest(List<ChatMessage> messages, List<ToolSpec> tools, Map<String, Object> options, String conversation,
        CallScope scope) {
    public ChatRequest {
        messages = List.copyOf(messages);
        tools = List.copyOf(tools);
        options = Map.copyOf(options);
        Objects.requireNonNull(conversation, "conversation");
        Objects.requireNonNull(scope, "scope");
    }

    /** A request without a described caller ({@link CallScope#NONE}). */
    public ChatRequest(List<ChatMessage> messages, List<ToolSpec> tools, Map<String, Object> options, String conversation) {
        this(messages, tools, options, conversation, CallScope.NONE);
    }

    public static ChatRequest of(List<ChatMessage> messages) {
        return new ChatRequest(messages, List.of(), Map.of(), "");
    }

    public ChatRequest withConversation(String id) {
        return new ChatRequest(messages, tools, options, id, scope);
    }

    public ChatRequest withScope(CallScope scope) {
        return new ChatRequest(messages, tools, options, conversation, scope);
    }
}
