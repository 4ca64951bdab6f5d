package io.graft.core.provider;

import io.graft.core.model.ChatModel;
import io.graft.core.model.ToolCall;
import java.util.List;
import org.junit.jupiter.api.AfterEach;

/** The router is a ChatModel too: over one OpenAI-compatible target it must behave as the client does. */
class ProviderRouterContractTest extends ChatModelContractTest {
    private final ProviderRouter router = ProviderRouter.builder()
            .target(ProviderTarget.of("local", "m", new OpenAiChatModel(Endpoint.of("local", server.base()), "m")))
            .policy(RoutingPolicy.priority("main", List.of("local/m")))
            .build();

    @AfterEach
    void closeRouter() {
        router.close();
    }

    @Override
    ChatModel model() {
        return router;
    }

    @Override
    void answer(String text, List<ToolCall> calls, int in, int out) {
        server.then(openAi(text, calls, in, out));
    }
}
