package io.graft.python;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.graft.core.Agent;
import io.graft.core.AgentDefinitionException;
import io.graft.core.AgentResult;
import io.graft.core.AgentRuntime;
import io.graft.core.AgentTask;
import io.graft.core.Framework;
import io.graft.core.RunEvent;
import io.graft.core.RunStatus;
import io.graft.core.Step;
import io.graft.core.model.ChatMessage;
import io.graft.core.model.ScriptedChatModel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** Real LangChain and LangGraph code in GraalPy, run through the Graft runtime with the scripted model. */
class LangChainAdapterTest {

    private static AgentRuntime runtimeFor(Path script, String modelScript) {
        AgentRuntime runtime = SharedPython.runtime(ScriptedChatModel.fromJson("scripted:test", modelScript, "test"));
        SharedPython.agents().load(script).forEach(runtime::register);
        return runtime;
    }

    private static AgentRuntime exampleRuntime(String example) {
        AgentRuntime runtime = SharedPython.runtime(ScriptedChatModel.fromFile(SharedPython.example(example + "/scripted.json")));
        SharedPython.agents().load(SharedPython.example(example + "/agent.py")).forEach(runtime::register);
        return runtime;
    }

    private static List<Step.ToolExecution> toolSteps(AgentResult r) {
        return r.steps().stream().filter(Step.ToolExecution.class::isInstance).map(Step.ToolExecution.class::cast).toList();
    }

    @Test
    void anLcelChainAnswersThroughTheJavaModel() {
        try (AgentRuntime runtime = exampleRuntime("lcel_chain")) {
            AgentResult r = runtime.run(AgentTask.of("one-sentence-lcel", "What is Graft?"));
            assertEquals(RunStatus.COMPLETED, r.status(), () -> r.error().toString());
            assertEquals(Framework.LANGCHAIN, r.framework());
            assertTrue(r.output().startsWith("Graft runs LangChain"), r.output());
            assertEquals(1, r.metrics().llmCalls());
            Step.LlmCall call = (Step.LlmCall) r.steps().getFirst();
            assertEquals("scripted:scripted.json", call.model());
            assertTrue(r.metrics().inputTokens() > 0);
        }
    }

    @Test
    void aPrebuiltLangGraphAgentCallsTheJavaToolAndReportsEveryMessage() {
        try (AgentRuntime runtime = exampleRuntime("langgraph_prebuilt")) {
            AgentResult r = runtime.run(AgentTask.of("calculator-langgraph", "What is 17 * 23 + 4?"));
            assertEquals(RunStatus.COMPLETED, r.status(), () -> r.error().toString());
            assertEquals(Framework.LANGGRAPH, r.framework());
            assertEquals("17 * 23 + 4 = 395.", r.output());
            List<Step.ToolExecution> tools = toolSteps(r);
            assertEquals(1, tools.size());
            assertEquals("calculator", tools.getFirst().toolName());
            assertEquals("395", tools.getFirst().result());
            assertEquals("call_0_0", tools.getFirst().call().id());
            assertEquals(2, r.metrics().llmCalls());
            assertEquals(1, r.metrics().toolCalls());
            List<String> roles = r.steps().stream().filter(Step.Message.class::isInstance)
                    .map(s -> ((Step.Message) s).message().role().id()).toList();
            assertEquals(List.of("user", "assistant", "tool", "assistant"), roles);
        }
    }

    @Test
    void concurrentRunsOfAGraphShareThePoolAndAllComplete() {
        try (AgentRuntime runtime = exampleRuntime("langgraph_prebuilt")) {
            List<io.graft.core.RunHandle> handles = new java.util.ArrayList<>();
            for (int i = 0; i < 8; i++) {
                handles.add(runtime.submit(AgentTask.of("calculator-langgraph", "What is 17 * 23 + 4?"), e -> {}));
            }
            for (var h : handles) {
                AgentResult r = h.join();
                assertEquals(RunStatus.COMPLETED, r.status(), () -> r.error().toString());
                assertEquals("17 * 23 + 4 = 395.", r.output());
                assertEquals(1, r.metrics().toolCalls());
            }
        }
    }

    @Test
    void aHandBuiltGraphRunsPythonAndJavaToolsInItsToolNode() {
        try (AgentRuntime runtime = exampleRuntime("langgraph_tool_graph")) {
            AgentResult r = runtime.run(AgentTask.of("units-graph", "What is 21.5 C in F, and back?"));
            assertEquals(RunStatus.COMPLETED, r.status(), () -> r.error().toString());
            List<Step.ToolExecution> tools = toolSteps(r);
            assertEquals(2, tools.size(), tools::toString);
            Step.ToolExecution java = tools.stream().filter(t -> t.toolName().equals("calculator")).findFirst().orElseThrow();
            Step.ToolExecution python = tools.stream().filter(t -> t.toolName().equals("celsius_to_fahrenheit")).findFirst().orElseThrow();
            assertEquals("21.5", java.result());
            assertEquals("70.7", python.result());
            assertEquals(Map.of("celsius", 21.5), python.arguments());
            assertEquals(2, r.metrics().toolCalls());
            assertTrue(r.output().contains("70.7"));
        }
    }

    @Test
    void plainCallablesReturnTextOrStructuredOutput() {
        AgentRuntime runtime = SharedPython.runtime(ScriptedChatModel.fromJson("m", "[{\"content\": \"x\"}]", "t"));
        List<Agent> agents = SharedPython.agents().load(SharedPython.example("python_callable/agent.py"));
        agents.forEach(runtime::register);
        try (runtime) {
            assertEquals(List.of("shout", "word-count"), agents.stream().map(Agent::name).toList());
            assertEquals("HELLO!", runtime.run(AgentTask.of("shout", "hello")).output());
            AgentResult counted = runtime.run(AgentTask.of("word-count", "one two three"));
            assertEquals("3 words", counted.output());
            assertEquals(3, counted.structuredOutput().get("words"));
            assertEquals(Framework.PYTHON, counted.framework());
            assertTrue(agents.getFirst().descriptor().inputSchema().isEmpty(), "a callable does not say what it reads");
        }
    }

    @Test
    void streamingTokensReachPythonAndTheRunsEvents() {
        try (AgentRuntime runtime = runtimeFor(SharedPython.script("streaming_chain.py"), "[{\"content\": \"tokens flow back\"}]")) {
            List<RunEvent> events = new CopyOnWriteArrayList<>();
            AgentResult r = runtime.submit(AgentTask.of("streaming_chain", "go"), events::add).join();
            assertEquals(RunStatus.COMPLETED, r.status(), () -> r.error().toString());
            assertEquals("tokens flow back", r.output());
            List<String> tokens = events.stream().filter(RunEvent.Token.class::isInstance).map(e -> ((RunEvent.Token) e).text()).toList();
            assertEquals(List.of("tokens ", "flow ", "back"), tokens);
        }
    }

    @Test
    void aMessageStateGraphGetsTheThreadHistoryBeforeTheNewMessage() {
        try (AgentRuntime runtime = runtimeFor(SharedPython.script("history_graph.py"), "[{\"content\": \"x\"}]")) {
            AgentTask task = AgentTask.of("history_graph", "and now?")
                    .withHistory(List.of(ChatMessage.user("hi"), ChatMessage.assistant("hello")));
            assertEquals("saw human,ai,human", runtime.run(task).output());
        }
    }

    @Test
    void structuredInputsFillPromptVariablesNextToInput() {
        try (AgentRuntime runtime = runtimeFor(SharedPython.script("prompt_inputs.py"), "[{\"content\": \"x\"}]")) {
            AgentResult r = runtime.run(AgentTask.of("prompt_inputs", "say hello").withInputs(Map.of("language", "French")));
            assertEquals("Human: say hello in French", r.output());
        }
    }

    @Test
    void theInputSchemaNamesThePromptVariablesARunMustBringAsInputs() {
        Map<String, Object> schema = SharedPython.agents().load(SharedPython.script("prompt_inputs.py")).getFirst()
                .descriptor().inputSchema();
        assertEquals(List.of("inputs"), schema.get("required"), schema::toString);
        Map<?, ?> inputs = (Map<?, ?>) ((Map<?, ?>) schema.get("properties")).get("inputs");
        assertEquals(List.of("language"), inputs.get("required"));
        assertEquals(Map.of("title", "Language", "type", "string"), ((Map<?, ?>) inputs.get("properties")).get("language"));
    }

    @Test
    void aMessageGraphsInputSchemaIsTheTextAloneWithoutItsMessagesOrManagedValues() {
        List<Agent> agents = SharedPython.agents().load(SharedPython.example("langgraph_prebuilt/agent.py"));
        Map<String, Object> schema = agents.getFirst().descriptor().inputSchema();
        assertEquals(List.of("input"), List.copyOf(((Map<?, ?>) schema.get("properties")).keySet()), schema::toString);
        assertFalse(schema.containsKey("$defs"), schema::toString); // the message types stay out
    }

    @Test
    void aSyntaxErrorNamesTheFileAndLine() {
        Path script = SharedPython.script("syntax_error.py");
        AgentDefinitionException e = assertThrows(AgentDefinitionException.class, () -> SharedPython.agents().load(script));
        assertEquals(script.toString(), e.source());
        assertEquals(4, e.line().orElseThrow());
        assertTrue(e.getMessage().startsWith(script + ":4: SyntaxError"), e.getMessage());
    }

    @Test
    void aScriptThatFailsOnImportNamesTheLine() {
        Path script = SharedPython.script("import_error.py");
        AgentDefinitionException e = assertThrows(AgentDefinitionException.class, () -> SharedPython.agents().load(script));
        assertEquals(5, e.line().orElseThrow());
        assertTrue(e.getMessage().contains("RuntimeError: configuration missing"), e.getMessage());
    }

    @Test
    void aScriptWithoutAnAgentSaysWhatWasLookedFor() {
        AgentDefinitionException e = assertThrows(AgentDefinitionException.class,
                () -> SharedPython.agents().load(SharedPython.script("no_agent.py")));
        assertTrue(e.getMessage().contains("expected a module-level name 'agent' or functions decorated with "
                + "@graft.agent(name=...); found neither"), e.getMessage());
        AgentDefinitionException wrongType = assertThrows(AgentDefinitionException.class,
                () -> SharedPython.agents().load(SharedPython.script("not_an_agent.py")));
        assertTrue(wrongType.getMessage().contains("module-level 'agent' is a builtins.int, expected a LangChain Runnable"),
                wrongType.getMessage());
    }

    @Test
    void anExceptionInsideTheAgentFailsWithThePythonTraceback() {
        try (AgentRuntime runtime = runtimeFor(SharedPython.script("raises.py"), "[{\"content\": \"x\"}]")) {
            AgentResult r = runtime.run(AgentTask.of("raises", "x"));
            assertEquals(RunStatus.FAILED, r.status());
            var error = r.error().orElseThrow();
            assertEquals("KeyError", error.type());
            assertTrue(error.traceback().contains("raises.py\", line 6, in helper"), error.traceback());
        }
    }

    @Test
    void aDeadlineStopsBusyAndBlockedPythonAndTheContextServesTheNextRun() {
        try (AgentRuntime runtime = runtimeFor(SharedPython.script("slow.py"), "[{\"content\": \"x\"}]")) {
            for (String agent : List.of("spin", "sleepy")) {
                AgentResult r = runtime.run(AgentTask.of(agent, "x").withTimeout(Duration.ofMillis(500)));
                assertEquals(RunStatus.TIMED_OUT, r.status(), agent);
                // Every context of the pool must still (or again) serve runs.
                for (int i = 0; i < 4; i++) {
                    AgentResult next = runtime.run(AgentTask.of("quick", "ok").withTimeout(Duration.ofSeconds(60)));
                    assertEquals(RunStatus.COMPLETED, next.status(), () -> agent + ": " + next.error());
                    assertEquals("quick: ok", next.output());
                }
            }
        }
    }

    @Test
    void replacingAScriptServesTheNewVersionEverywhere() throws Exception {
        Path dir = java.nio.file.Files.createTempDirectory("graft-reload");
        Path script = dir.resolve("echo.py");
        java.nio.file.Files.writeString(script, "import graft\n\n@graft.agent(name='echo')\ndef echo(task):\n    return 'v1'\n");
        try (AgentRuntime runtime = runtimeFor(script, "[{\"content\": \"x\"}]")) {
            assertEquals("v1", runtime.run(AgentTask.of("echo", "x")).output());
            java.nio.file.Files.writeString(script, "import graft\n\n@graft.agent(name='echo')\ndef echo(task):\n    return 'v2'\n");
            SharedPython.agents().load(script).forEach(runtime::register);
            for (int i = 0; i < 4; i++) {
                assertEquals("v2", runtime.run(AgentTask.of("echo", "x")).output());
            }
            java.nio.file.Files.writeString(script, "import graft\n\ndef broken(:\n");
            assertThrows(AgentDefinitionException.class, () -> SharedPython.agents().load(script));
            assertEquals("v2", runtime.run(AgentTask.of("echo", "x")).output());
        }
        assertFalse(java.nio.file.Files.notExists(script));
    }
}
