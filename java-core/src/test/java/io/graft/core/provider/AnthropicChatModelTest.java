package io.graft.core.provider;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.graft.core.json.Json;
import io.graft.core.model.ChatMessage;
import io.graft.core.model.ChatRequest;
import io.graft.core.model.ChatResponse;
import io.graft.core.model.ToolCall;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class AnthropicChatModelTest {
    final FakeProvider server = new FakeProvider();

    @AfterEach
    void stop() {
        server.close();
    }

    AnthropicChatModel model() {
        Endpoint e = Endpoint.of("anthropic", server.base()).withApiKey(ApiKey.of("ak-secret-1", "test"))
                .withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ofMillis(500));
        return new AnthropicChatModel(e, "claude-test", 512, Clock.systemUTC());
    }

    @Test
    void sendsSystemToolUseAndMergedToolResultsInTheMessagesWireFormat() {
        server.then(FakeProvider.json(Json.write(Map.of("model", "claude-test", "stop_reason", "end_turn",
                "content", List.of(Map.of("type", "text", "text", "8 and 9")), "usage", Map.of("input_tokens", 30, "output_tokens", 4)))));
        var a = new ToolCall("t1", "calculator", Map.of("expression", "4+4"));
        var b = new ToolCall("t2", "calculator", Map.of("expression", "4+5"));
        ChatResponse r = model().chat(new ChatRequest(List.of(ChatMessage.system("be brief"), ChatMessage.user("two sums"),
                ChatMessage.assistant("computing", List.of(a, b)), ChatMessage.tool("t1", "calculator", "8"),
                ChatMessage.tool("t2", "calculator", "9")), List.of(), Map.of("stop", List.of("END")), ""));
        assertEquals("8 and 9", r.message().content());
        assertEquals("stop", r.finishReason());
        assertEquals(30, r.usage().inputTokens());
        var got = server.received().getFirst();
        assertEquals("/v1/messages", got.path());
        assertEquals("ak-secret-1", got.header("x-api-key"));
        assertEquals(AnthropicChatModel.VERSION, got.header("anthropic-version"));
        assertEquals("be brief", got.body().get("system"));
        assertEquals(512, got.body().get("max_tokens"));
        assertEquals(List.of("END"), got.body().get("stop_sequences"));
        @SuppressWarnings("unchecked")
        var messages = (List<Map<String, Object>>) got.body().get("messages");
        assertEquals(3, messages.size(), "the two tool results share one user turn");
        @SuppressWarnings("unchecked")
        var results = (List<Map<String, Object>>) messages.get(2).get("content");
        assertEquals(List.of("t1", "t2"), results.stream().map(m -> m.get("tool_use_id")).toList());
        @SuppressWarnings("unchecked")
        var assistant = (List<Map<String, Object>>) messages.get(1).get("content");
        assertEquals(Map.of("expression", "4+4"), assistant.get(1).get("input"));
    }

    @Test
    void readsToolUseBlocks() {
        server.then(FakeProvider.json(Json.write(Map.of("model", "claude-test", "stop_reason", "tool_use",
                "content", List.of(Map.of("type", "tool_use", "id", "toolu_1", "name", "calculator", "input", Map.of("expression", "2*21"))),
                "usage", Map.of("input_tokens", 10, "output_tokens", 5)))));
        ChatResponse r = model().chat(ChatRequest.of(List.of(ChatMessage.user("2*21"))));
        assertEquals(List.of(new ToolCall("toolu_1", "calculator", Map.of("expression", "2*21"))), r.message().toolCalls());
        assertEquals("tool_calls", r.finishReason());
    }

    @Test
    void streamsTextAndAssemblesToolInputFromJsonDeltas() {
        server.then(FakeProvider.sse(List.of(
                Json.write(Map.of("type", "message_start", "message", Map.of("model", "claude-test", "usage", Map.of("input_tokens", 12)))),
                Json.write(Map.of("type", "content_block_start", "index", 0, "content_block", Map.of("type", "text", "text", ""))),
                Json.write(Map.of("type", "content_block_delta", "index", 0, "delta", Map.of("type", "text_delta", "text", "Let me "))),
                Json.write(Map.of("type", "content_block_delta", "index", 0, "delta", Map.of("type", "text_delta", "text", "check."))),
                Json.write(Map.of("type", "ping")),
                Json.write(Map.of("type", "content_block_start", "index", 1, "content_block",
                        Map.of("type", "tool_use", "id", "toolu_2", "name", "calculator", "input", Map.of()))),
                Json.write(Map.of("type", "content_block_delta", "index", 1, "delta", Map.of("type", "input_json_delta", "partial_json", "{\"expression\":"))),
                Json.write(Map.of("type", "content_block_delta", "index", 1, "delta", Map.of("type", "input_json_delta", "partial_json", "\"3*3\"}"))),
                Json.write(Map.of("type", "message_delta", "delta", Map.of("stop_reason", "tool_use"), "usage", Map.of("output_tokens", 9))),
                Json.write(Map.of("type", "message_stop")))));
        List<String> tokens = new ArrayList<>();
        ChatResponse r = model().stream(ChatRequest.of(List.of(ChatMessage.user("3*3"))), tokens::add);
        assertEquals(List.of("Let me ", "check."), tokens);
        assertEquals(List.of(new ToolCall("toolu_2", "calculator", Map.of("expression", "3*3"))), r.message().toolCalls());
        assertEquals(12, r.usage().inputTokens());
        assertEquals(9, r.usage().outputTokens());
        assertEquals(true, server.received().getFirst().body().get("stream"));
    }

    @Test
    void classifiesAnOverloadedErrorEventInTheStreamAsAServerError() {
        server.then(FakeProvider.sse(List.of(
                Json.write(Map.of("type", "message_start", "message", Map.of("model", "claude-test", "usage", Map.of("input_tokens", 1)))),
                Json.write(Map.of("type", "error", "error", Map.of("type", "overloaded_error", "message", "Overloaded"))))));
        var e = assertThrows(ProviderException.class, () -> model().stream(ChatRequest.of(List.of(ChatMessage.user("hi"))), t -> {}));
        assertEquals(ErrorKind.SERVER_ERROR, e.kind());
        assertTrue(e.getMessage().contains("Overloaded"), e.getMessage());
    }

    @Test
    void reportsAStreamThatEndsWithoutMessageStopAsDropped() {
        server.then(FakeProvider.sse(List.of(
                Json.write(Map.of("type", "message_start", "message", Map.of("model", "claude-test", "usage", Map.of("input_tokens", 1)))),
                Json.write(Map.of("type", "content_block_delta", "index", 0, "delta", Map.of("type", "text_delta", "text", "par"))))));
        var e = assertThrows(ProviderException.class, () -> model().stream(ChatRequest.of(List.of(ChatMessage.user("hi"))), t -> {}));
        assertEquals(ErrorKind.STREAM_DROPPED, e.kind());
        assertTrue(e.tokensEmitted());
    }
}
