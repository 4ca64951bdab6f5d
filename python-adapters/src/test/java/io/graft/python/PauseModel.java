package io.graft.python;

import io.graft.core.model.ChatMessage;
import io.graft.core.model.ChatModel;
import io.graft.core.model.ChatRequest;
import io.graft.core.model.ChatResponse;
import io.graft.core.model.ToolCall;
import io.graft.core.model.Usage;
import java.util.List;
import java.util.Map;

/** For deadline tests: asks for a 60 s call of the script's {@code pause} tool when told to be slow, else answers "done". */
final class PauseModel implements ChatModel {
    @Override
    public ChatResponse chat(ChatRequest request) {
        ChatMessage last = request.messages().getLast();
        boolean slow = last.role().id().equals("user") && last.content().contains("slow");
        ChatMessage reply = slow
                ? ChatMessage.assistant("", List.of(new ToolCall("call-1", "pause", Map.of("seconds", 60))))
                : ChatMessage.assistant("done");
        return new ChatResponse(reply, new Usage(1, 1), name(), slow ? "tool_calls" : "stop");
    }

    @Override
    public String name() {
        return "test:pause";
    }
}
