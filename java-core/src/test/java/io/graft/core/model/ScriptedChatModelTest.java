package io.graft.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ScriptedChatModelTest {
    private static final String SCRIPT = """
            [{"tool_calls": [{"name": "calculator", "args": {"expression": "1+2"}}]},
             {"content": "The answer is 3."}]
            """;

    private static ChatRequest request(String conversation) {
        return new ChatRequest(List.of(ChatMessage.user("what is 1+2?")), List.of(), Map.of(), conversation);
    }

    @Test
    void servesTurnsInOrderWithToolCallsAndUsage() {
        ScriptedChatModel model = ScriptedChatModel.fromJson("scripted:test", SCRIPT, "test");
        ChatResponse first = model.chat(request("run-1"));
        assertEquals("tool_calls", first.finishReason());
        assertEquals("calculator", first.message().toolCalls().getFirst().name());
        assertEquals(Map.of("expression", "1+2"), first.message().toolCalls().getFirst().arguments());
        assertTrue(first.usage().inputTokens() > 0 && first.usage().outputTokens() > 0);
        ChatResponse second = model.chat(request("run-1"));
        assertEquals("The answer is 3.", second.message().content());
        assertEquals("stop", second.finishReason());
    }

    @Test
    void eachConversationStartsAtTheFirstTurn() {
        ScriptedChatModel model = ScriptedChatModel.fromJson("scripted:test", SCRIPT, "test");
        model.chat(request("run-1"));
        assertEquals(1, model.chat(request("run-2")).message().toolCalls().size());
    }

    @Test
    void aRunAskingPastTheScriptGetsAClearError() {
        ScriptedChatModel model = ScriptedChatModel.fromJson("scripted:test", SCRIPT, "test");
        model.chat(request("r"));
        model.chat(request("r"));
        ModelException e = assertThrows(ModelException.class, () -> model.chat(request("r")));
        assertTrue(e.getMessage().contains("has 2 turns; this run asked for turn 3"), e.getMessage());
    }

    @Test
    void anEndedConversationIsForgottenAndStartsAgainAtTheFirstTurn() {
        ScriptedChatModel model = ScriptedChatModel.fromJson("scripted:test", SCRIPT, "test");
        model.chat(request("r"));
        model.chat(request("r"));
        model.conversationEnded("r");
        model.conversationEnded("never-started");
        assertEquals("calculator", model.chat(request("r")).message().toolCalls().getFirst().name());
    }

    @Test
    void streamingEmitsTheContentInPiecesThatJoinToTheWhole() {
        ScriptedChatModel model = ScriptedChatModel.fromJson("m", "[{\"content\": \"one two  three\"}]", "test");
        List<String> tokens = new ArrayList<>();
        ChatResponse r = model.stream(request("s"), tokens::add);
        assertEquals("one two  three", String.join("", tokens));
        assertEquals(3, tokens.size());
        assertEquals("one two  three", r.message().content());
    }

    @Test
    void malformedScriptsNameWhatIsWrong() {
        assertTrue(assertThrows(ModelException.class, () -> ScriptedChatModel.fromJson("m", "{}", "f.json"))
                .getMessage().contains("not a JSON array"));
        assertTrue(assertThrows(ModelException.class, () -> ScriptedChatModel.fromJson("m", "[{}]", "f.json"))
                .getMessage().contains("f.json turn 0: a turn needs 'content' or 'tool_calls'"));
        assertTrue(assertThrows(ModelException.class,
                () -> ScriptedChatModel.fromJson("m", "[{\"tool_calls\": [{\"args\": {}}]}]", "f.json"))
                .getMessage().contains("needs a non-empty 'name'"));
        assertTrue(assertThrows(ModelException.class, () -> ScriptedChatModel.fromJson("m", "[]", "f.json"))
                .getMessage().contains("has no turns"));
    }

    @Test
    void unknownModelSpecsAreRejectedClearly() {
        ModelException e = assertThrows(ModelException.class, () -> ChatModels.fromSpec("gpt-9", java.nio.file.Path.of(".")));
        assertEquals("unknown model spec 'gpt-9': expected scripted:FILE.json or providers:FILE.yaml", e.getMessage());
        assertTrue(assertThrows(ModelException.class,
                () -> ChatModels.fromSpec("scripted:missing.json", java.nio.file.Path.of(".")))
                .getMessage().contains("no such file"));
    }
}
