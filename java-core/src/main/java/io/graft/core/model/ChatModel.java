package io.graft.core.model;

import java.util.function.Consumer;

/**
 * A chat model every agent reaches through, whatever its framework.
 *
 * <p>Implementations are thread-safe: one instance serves concurrent runs.
 */
public interface ChatModel {

    /** Generates one assistant turn. Throws {@link ModelException} when the model cannot answer. */
    ChatResponse chat(ChatRequest request);

    /**
     * Generates one assistant turn, handing text to {@code onToken} as it is produced. The default
     * emits the whole content at once; streaming providers override it.
     */
    default ChatResponse stream(ChatRequest request, Consumer<String> onToken) {
        ChatResponse response = chat(request);
        if (!response.message().content().isEmpty()) {
            onToken.accept(response.message().content());
        }
        return response;
    }

    /** A short name for listings and metrics, e.g. {@code scripted:demo.json}. */
    String name();

    /**
     * The run (or workflow step) whose calls carried {@code conversation} as
     * {@link ChatRequest#conversation()} has ended. A model that keeps state per conversation (the
     * scripted one keeps a cursor) drops it here; a model that wraps others passes it on. The
     * runtime calls it once per run, after the run's last call; a call that still comes later (from
     * a cancelled run's thread) starts the conversation afresh. The default keeps nothing.
     */
    default void conversationEnded(String conversation) {}
}
