package io.graft.core.provider;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.graft.core.json.Json;
import io.graft.core.model.ChatMessage;
import io.graft.core.model.ChatRequest;
import io.graft.core.model.ChatResponse;
import io.graft.core.model.ToolCall;
import io.graft.core.model.ToolSpec;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class OpenAiChatModelTest {
    static final String KEY = "sk-test-SECRET-123456";
    final FakeProvider server = new FakeProvider();

    @AfterEach
    void stop() {
        server.close();
    }

    OpenAiChatModel model(Duration request, Duration idle) {
        Endpoint e = Endpoint.of("local", server.base()).withApiKey(ApiKey.of(KEY, "test"))
                .withTimeouts(Duration.ofSeconds(2), request, idle);
        return new OpenAiChatModel(e, "fake-model");
    }

    OpenAiChatModel model() {
        return model(Duration.ofSeconds(5), Duration.ofSeconds(5));
    }

    static ChatRequest withToolHistory() {
        ToolCall call = new ToolCall("call_1", "calculator", Map.of("expression", "2+3"));
        return new ChatRequest(List.of(ChatMessage.system("be brief"), ChatMessage.user("what is 2+3?"),
                ChatMessage.assistant("", List.of(call)), ChatMessage.tool("call_1", "calculator", "5")),
                List.of(new ToolSpec("calculator", "evaluates arithmetic", Map.of("type", "object",
                        "properties", Map.of("expression", Map.of("type", "string"))))),
                Map.of("temperature", 0), "");
    }

    @Test
    void sendsToolsAndToolResultsInTheOpenAiWireFormatWithTheKeyAsBearer() {
        server.then(FakeProvider.json(FakeProvider.openAiText("5", 20, 1)));
        ChatResponse r = model().chat(withToolHistory());
        assertEquals("5", r.message().content());
        assertEquals(20, r.usage().inputTokens());
        var got = server.received().getFirst();
        assertEquals("/v1/chat/completions", got.path());
        assertEquals("Bearer " + KEY, got.header("authorization"));
        assertEquals(false, got.body().get("stream"));
        assertEquals(0, got.body().get("temperature"));
        @SuppressWarnings("unchecked")
        var messages = (List<Map<String, Object>>) got.body().get("messages");
        assertEquals("tool", messages.get(3).get("role"));
        assertEquals("call_1", messages.get(3).get("tool_call_id"));
        @SuppressWarnings("unchecked")
        var calls = (List<Map<String, Map<String, Object>>>) messages.get(2).get("tool_calls");
        assertEquals("{\"expression\":\"2+3\"}", calls.getFirst().get("function").get("arguments"));
        @SuppressWarnings("unchecked")
        var tools = (List<Map<String, Map<String, Object>>>) got.body().get("tools");
        assertEquals("calculator", tools.getFirst().get("function").get("name"));
    }

    @Test
    void readsToolCallsFromAnAnswer() {
        var call = Map.of("id", "call_9", "type", "function",
                "function", Map.of("name", "calculator", "arguments", "{\"expression\":\"6*7\"}"));
        var message = Map.of("role", "assistant", "content", "", "tool_calls", List.of(call));
        server.then(FakeProvider.json(Json.write(Map.of("model", "fake-model",
                "choices", List.of(Map.of("finish_reason", "tool_calls", "message", message)),
                "usage", Map.of("prompt_tokens", 3, "completion_tokens", 4)))));
        ChatResponse r = model().chat(ChatRequest.of(List.of(ChatMessage.user("6*7?"))));
        assertEquals(List.of(new ToolCall("call_9", "calculator", Map.of("expression", "6*7"))), r.message().toolCalls());
        assertEquals("tool_calls", r.finishReason());
    }

    @Test
    void streamsTokensInOrderAndReadsUsageFromTheLastChunk() {
        server.then(FakeProvider.sse(FakeProvider.openAiStream(List.of("Hel", "lo", "!"), 7, 3)));
        List<String> tokens = new ArrayList<>();
        ChatResponse r = model().stream(ChatRequest.of(List.of(ChatMessage.user("hi"))), tokens::add);
        assertEquals(List.of("Hel", "lo", "!"), tokens);
        assertEquals("Hello!", r.message().content());
        assertEquals(7, r.usage().inputTokens());
        assertEquals(3, r.usage().outputTokens());
        assertEquals(Map.of("include_usage", true), server.received().getFirst().body().get("stream_options"));
    }

    @Test
    void acceptsAWholeJsonAnswerFromAServerThatIgnoresStreaming() {
        server.then(FakeProvider.json(FakeProvider.openAiText("all at once", 4, 3)));
        List<String> tokens = new ArrayList<>();
        ChatResponse r = model().stream(ChatRequest.of(List.of(ChatMessage.user("hi"))), tokens::add);
        assertEquals(List.of("all at once"), tokens);
        assertEquals(3, r.usage().outputTokens());
        assertEquals(true, server.received().getFirst().body().get("stream"));
    }

    @Test
    void assemblesAStreamedToolCallFromItsPieces() {
        server.then(FakeProvider.sse(List.of(
                Json.write(Map.of("choices", List.of(Map.of("index", 0, "delta", Map.of("tool_calls", List.of(Map.of("index", 0,
                        "id", "call_1", "function", Map.of("name", "calculator", "arguments", "{\"expr")))))))),
                Json.write(Map.of("choices", List.of(Map.of("index", 0, "delta", Map.of("tool_calls", List.of(Map.of("index", 0,
                        "function", Map.of("arguments", "ession\":\"1+1\"}")))))))),
                Json.write(Map.of("choices", List.of(Map.of("index", 0, "delta", Map.of(), "finish_reason", "tool_calls")))),
                "[DONE]")));
        ChatResponse r = model().stream(ChatRequest.of(List.of(ChatMessage.user("1+1"))), t -> {});
        assertEquals(List.of(new ToolCall("call_1", "calculator", Map.of("expression", "1+1"))), r.message().toolCalls());
        assertEquals("tool_calls", r.finishReason());
    }

    @Test
    void classifiesA429AsRateLimitedWithItsRetryAfter() {
        server.then(FakeProvider.status(429, "{\"error\":{\"message\":\"slow down\"}}", Map.of("Retry-After", "7")));
        var e = assertThrows(ProviderException.class, () -> model().chat(ChatRequest.of(List.of(ChatMessage.user("hi")))));
        assertEquals(ErrorKind.RATE_LIMITED, e.kind());
        assertEquals(429, e.status());
        assertEquals(Optional.of(Duration.ofSeconds(7)), e.retryAfter());
        assertTrue(e.getMessage().contains("slow down"), e.getMessage());
    }

    @Test
    void classifiesServerErrorsAuthFailuresAndBadRequests() {
        server.then(FakeProvider.status(503, "overloaded", Map.of()),
                FakeProvider.status(401, "{\"error\":\"Incorrect API key provided: " + KEY + "\"}", Map.of()),
                FakeProvider.status(400, "{\"error\":\"bad\"}", Map.of()));
        var req = ChatRequest.of(List.of(ChatMessage.user("hi")));
        assertEquals(ErrorKind.SERVER_ERROR, assertThrows(ProviderException.class, () -> model().chat(req)).kind());
        var auth = assertThrows(ProviderException.class, () -> model().chat(req));
        assertEquals(ErrorKind.AUTH, auth.kind());
        assertFalse(auth.getMessage().contains(KEY), "the key must be masked: " + auth.getMessage());
        assertTrue(auth.getMessage().contains("****"), auth.getMessage());
        assertEquals(ErrorKind.BAD_REQUEST, assertThrows(ProviderException.class, () -> model().chat(req)).kind());
    }

    @Test
    void classifiesAnAnswerThatIsNotJsonAsMalformed() {
        server.then(FakeProvider.json("{\"choices\": [ oops"));
        var e = assertThrows(ProviderException.class, () -> model().chat(ChatRequest.of(List.of(ChatMessage.user("hi")))));
        assertEquals(ErrorKind.MALFORMED_RESPONSE, e.kind());
    }

    @Test
    void givesUpOnASlowAnswerAtTheRequestTimeout() {
        server.then(FakeProvider.slow(3_000, FakeProvider.openAiText("late", 1, 1)));
        long t0 = System.nanoTime();
        var e = assertThrows(ProviderException.class,
                () -> model(Duration.ofMillis(300), Duration.ofSeconds(5)).chat(ChatRequest.of(List.of(ChatMessage.user("hi")))));
        assertEquals(ErrorKind.TIMEOUT, e.kind());
        assertTrue(System.nanoTime() - t0 < 2_000_000_000L, "should give up near 300 ms");
    }

    @Test
    void reportsAStreamDroppedMidwayAfterTokensWereEmitted() {
        server.then(new FakeProvider.Sse(FakeProvider.openAiStream(List.of("a", "b", "c"), 1, 1), 0, 2));
        List<String> tokens = new ArrayList<>();
        var e = assertThrows(ProviderException.class, () -> model().stream(ChatRequest.of(List.of(ChatMessage.user("hi"))), tokens::add));
        assertEquals(ErrorKind.STREAM_DROPPED, e.kind());
        assertTrue(e.tokensEmitted());
        assertEquals(List.of("a", "b"), tokens);
    }

    @Test
    void treatsAStreamSilentLongerThanTheIdleTimeoutAsATimeout() {
        server.then(new FakeProvider.Sse(FakeProvider.openAiStream(List.of("a", "b"), 1, 1), 1_500, -1));
        var e = assertThrows(ProviderException.class, () -> model(Duration.ofSeconds(10), Duration.ofMillis(300))
                .stream(ChatRequest.of(List.of(ChatMessage.user("hi"))), t -> {}));
        assertEquals(ErrorKind.TIMEOUT, e.kind());
        assertTrue(e.getMessage().contains("silent"), e.getMessage());
    }

    @Test
    void reportsARefusedConnectionAsAConnectionFailure() {
        URI closed = server.base();
        server.close();
        Endpoint e = Endpoint.of("gone", closed);
        var ex = assertThrows(ProviderException.class, () -> new OpenAiChatModel(e, "m").chat(ChatRequest.of(List.of(ChatMessage.user("hi")))));
        assertEquals(ErrorKind.CONNECTION, ex.kind());
    }

    @Test
    void neverShowsTheKeyInToString() {
        assertFalse(model().toString().contains(KEY));
        assertFalse(Endpoint.of("x", server.base()).withApiKey(ApiKey.of(KEY, "test")).toString().contains(KEY));
        assertFalse(ApiKey.of(KEY, "test").toString().contains(KEY));
    }
}
