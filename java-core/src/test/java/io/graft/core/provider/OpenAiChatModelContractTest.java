package io.graft.core.provider;

import io.graft.core.model.ChatModel;
import io.graft.core.model.ToolCall;
import java.util.List;

class OpenAiChatModelContractTest extends ChatModelContractTest {
    @Override
    ChatModel model() {
        return new OpenAiChatModel(Endpoint.of("openai-compatible", server.base()), "m");
    }

    @Override
    void answer(String text, List<ToolCall> calls, int in, int out) {
        server.then(openAi(text, calls, in, out));
    }
}
