package io.graft.core.provider;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.graft.core.model.ChatMessage;
import io.graft.core.model.ChatModel;
import io.graft.core.model.ChatRequest;
import io.graft.core.model.ChatResponse;
import io.graft.core.model.ToolCall;
import io.graft.core.model.ToolSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What every provider-backed {@link ChatModel} must do, whatever its wire protocol: answer text,
 * stream it in pieces that add up to the answer, carry tool calls both ways and report usage.
 * Each implementation extends this with a loopback server speaking its protocol.
 */
abstract class ChatModelContractTest {
    final FakeProvider server = new FakeProvider();

    @AfterEach
    void stop() {
        server.close();
    }

    /** The model under test, calling {@link #server}. */
    abstract ChatModel model();

    /** Scripts the server's next answer: text and tool calls ({@code id}, {@code name}, {@code args}), with usage. */
    abstract void answer(String text, List<ToolCall> calls, int in, int out);

    static final ToolSpec CALCULATOR = new ToolSpec("calculator", "evaluates arithmetic",
            Map.of("type", "object", "properties", Map.of("expression", Map.of("type", "string"))));

    @Test
    void answersWithTextAndUsage() {
        answer("The answer is 42.", List.of(), 11, 5);
        ChatResponse r = model().chat(ChatRequest.of(List.of(ChatMessage.user("what is 6*7?"))));
        assertEquals("The answer is 42.", r.message().content());
        assertEquals(11, r.usage().inputTokens());
        assertEquals(5, r.usage().outputTokens());
        assertEquals("stop", r.finishReason());
    }

    @Test
    void streamsPiecesThatAddUpToTheAnswer() {
        answer("Streaming works fine.", List.of(), 3, 4);
        List<String> tokens = new ArrayList<>();
        ChatResponse r = model().stream(ChatRequest.of(List.of(ChatMessage.user("go"))), tokens::add);
        assertFalse(tokens.isEmpty());
        assertEquals("Streaming works fine.", String.join("", tokens));
        assertEquals(r.message().content(), String.join("", tokens));
        assertEquals(4, r.usage().outputTokens());
    }

    @Test
    void returnsToolCallsAndSendsToolResultsBack() {
        ToolCall call = new ToolCall("call_7", "calculator", Map.of("expression", "6*7"));
        answer("", List.of(call), 20, 6);
        ChatRequest ask = new ChatRequest(List.of(ChatMessage.user("6*7?")), List.of(CALCULATOR), Map.of(), "");
        ChatResponse first = model().chat(ask);
        assertEquals(List.of(call), first.message().toolCalls());
        assertEquals("tool_calls", first.finishReason());

        answer("42", List.of(), 30, 1);
        List<ChatMessage> history = new ArrayList<>(ask.messages());
        history.add(first.message());
        history.add(ChatMessage.tool("call_7", "calculator", "42"));
        assertEquals("42", model().stream(new ChatRequest(history, List.of(CALCULATOR), Map.of(), ""), t -> {}).message().content());
        String sent = server.received().getLast().body().toString();
        assertTrue(sent.contains("call_7") && sent.contains("42"), "the tool call and its result were sent back: " + sent);
    }

    @Test
    void streamsToolCalls() {
        ToolCall call = new ToolCall("call_8", "calculator", Map.of("expression", "1+1"));
        answer("", List.of(call), 5, 5);
        ChatResponse r = model().stream(new ChatRequest(List.of(ChatMessage.user("1+1")), List.of(CALCULATOR), Map.of(), ""), t -> {});
        assertEquals(List.of(call), r.message().toolCalls());
    }

    @Test
    void hasAName() {
        assertFalse(model().name().isBlank());
    }

    /** An OpenAI answer for {@link FakeProvider.OpenAiAnswer}, tool calls in the wire shape. */
    static FakeProvider.Reply openAi(String text, List<ToolCall> calls, int in, int out) {
        return new FakeProvider.OpenAiAnswer(text, calls.stream().map(c -> Map.<String, Object>of("id", c.id(), "type", "function",
                "function", Map.of("name", c.name(), "arguments", io.graft.core.json.Json.write(c.arguments())))).toList(), in, out);
    }
}
