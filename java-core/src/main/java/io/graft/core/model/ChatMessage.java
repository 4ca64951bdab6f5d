package io.graft.core.model;

import java.util.List;
import java.util.Objects;

/**
 * One message of a conversation.
 *
 * @param role who said it
 * @param content the text; empty for an assistant turn that only calls tools
 * @param toolCalls tool calls an assistant message asks for
 * @param toolCallId for a {@link Role#TOOL} message, the call it answers; empty otherwise
 * @param name the speaker's name (an agent in a multi-agent run, or the tool); may be empty
 */
public record ChatMessage(Role role, String content, List<ToolCall> toolCalls, String toolCallId, String name) {
    public ChatMessage {
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(content, "content");
        toolCalls = List.copyOf(toolCalls);
        Objects.requireNonNull(toolCallId, "toolCallId");
        Objects.requireNonNull(name, "name");
    }

    public static ChatMessage system(String content) {
        return new ChatMessage(Role.SYSTEM, content, List.of(), "", "");
    }

    public static ChatMessage user(String content) {
        return new ChatMessage(Role.USER, content, List.of(), "", "");
    }

    public static ChatMessage assistant(String content) {
        return new ChatMessage(Role.ASSISTANT, content, List.of(), "", "");
    }

    public static ChatMessage assistant(String content, List<ToolCall> toolCalls) {
        return new ChatMessage(Role.ASSISTANT, content, toolCalls, "", "");
    }

    public static ChatMessage tool(String toolCallId, String toolName, String content) {
        return new ChatMessage(Role.TOOL, content, List.of(), toolCallId, toolName);
    }
}
