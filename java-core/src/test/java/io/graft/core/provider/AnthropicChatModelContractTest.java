package io.graft.core.provider;

import io.graft.core.model.ChatModel;
import io.graft.core.model.ToolCall;
import java.util.List;
import java.util.Map;

class AnthropicChatModelContractTest extends ChatModelContractTest {
    @Override
    ChatModel model() {
        return new AnthropicChatModel(Endpoint.of("anthropic", server.base()), "claude");
    }

    @Override
    void answer(String text, List<ToolCall> calls, int in, int out) {
        server.then(new FakeProvider.AnthropicAnswer(text, calls.stream()
                .map(c -> Map.<String, Object>of("id", c.id(), "name", c.name(), "input", c.arguments())).toList(), in, out));
    }
}
