package io.graft.core;

import io.graft.core.model.ChatMessage;
import io.graft.core.model.ToolCall;
import io.graft.core.model.Usage;
import java.time.Duration;
import java.util.Map;

/** One thing that happened during a run, in the order it happened. */
public sealed interface Step {

    /**
     * A call to the chat model.
     *
     * @param agent the agent (or crew member) that made the call
     * @param response the assistant message the model returned, with its tool calls
     */
    record LlmCall(String agent, String model, ChatMessage response, Usage usage, String finishReason, Duration latency)
            implements Step {}

    /**
     * A tool execution.
     *
     * @param call the call as the model asked for it
     * @param result the tool's answer, or the error text when {@code error} is set
     */
    record ToolExecution(String agent, ToolCall call, String result, boolean error, Duration latency) implements Step {
        public String toolName() {
            return call.name();
        }

        public Map<String, Object> arguments() {
            return call.arguments();
        }
    }

    /** A message of the conversation as the framework saw it (input, agent-to-agent, final answer). */
    record Message(String agent, ChatMessage message) implements Step {}
}
