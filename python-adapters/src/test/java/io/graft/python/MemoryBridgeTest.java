package io.graft.python;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.graft.core.AgentResult;
import io.graft.core.AgentRuntime;
import io.graft.core.AgentTask;
import io.graft.core.RunStatus;
import io.graft.core.memory.MemoryRecord;
import io.graft.core.memory.Namespace;
import io.graft.core.model.ChatModel;
import io.graft.core.model.ChatRequest;
import io.graft.core.model.ChatResponse;
import io.graft.core.model.ScriptedChatModel;
import io.graft.nativecore.NativeMemoryStore;
import io.graft.nativecore.embed.MiniLmEmbedder;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** graft.memory() in GraalPy against the real native store and the embedded MiniLM embedder. */
class MemoryBridgeTest {
    private static final Namespace KB = new Namespace("default", "kb");
    private static final ChatModel UNUSED_MODEL = ScriptedChatModel.fromJson("unused", "[{\"content\": \"unused\"}]", "test");
    @TempDir
    static Path dir;
    private static MiniLmEmbedder embedder;
    private static NativeMemoryStore store;

    @BeforeAll
    static void open() {
        embedder = new MiniLmEmbedder();
        store = NativeMemoryStore.builder(dir, embedder).open();
        store.createNamespace(KB);
        // Written by Java, as a native agent would: the Python agents below must find them.
        store.addAll(KB, List.of(
                MemoryRecord.of("The office cat is called Miso.", Map.of("kind", "fact")),
                MemoryRecord.of("Invoices are due on the 5th of each month.", Map.of("kind", "policy")),
                MemoryRecord.of("The VPN needs a hardware key.", Map.of("kind", "policy"))));
    }

    @AfterAll
    static void close() {
        store.close();
        embedder.close();
    }

    private static AgentResult run(AgentRuntime runtime, String input, Map<String, Object> inputs) {
        return runtime.run(AgentTask.of("memory-ops", input).withInputs(inputs));
    }

    @Test
    void pythonFindsWhatJavaStoredBySemanticSearchWithAFilter() {
        try (AgentRuntime runtime = SharedPython.runtimeFor(SharedPython.script("memory_ops.py"),
                UNUSED_MODEL, store)) {
            AgentResult r = run(runtime, "what is the cat's name?", Map.of("op", "search"));
            assertEquals(RunStatus.COMPLETED, r.status(), () -> r.error().toString());
            assertEquals("The office cat is called Miso.", r.output());

            AgentResult policy = run(runtime, "what is the cat's name?", Map.of("op", "search", "filter", Map.of("kind", "policy")));
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> hits = (List<Map<String, Object>>) policy.structuredOutput().get("hits");
            assertEquals(2, hits.size());
            assertTrue(hits.stream().allMatch(h -> Map.of("kind", "policy").equals(h.get("metadata"))), hits::toString);
        }
    }

    @Test
    void whatPythonStoresJavaReadsAndALangChainRetrieverFindsIt() {
        try (AgentRuntime runtime = SharedPython.runtimeFor(SharedPython.script("memory_ops.py"),
                UNUSED_MODEL, store)) {
            long before = store.count(KB);
            AgentResult added = run(runtime, "Parking spaces are on level -2.", Map.of("op", "add"));
            assertEquals(RunStatus.COMPLETED, added.status(), () -> added.error().toString());
            String id = added.output();
            assertEquals("Parking spaces are on level -2.", store.get(KB, id).orElseThrow().text());
            assertEquals(Map.of("kind", "note", "page", "3"), store.get(KB, id).orElseThrow().metadata()); // numbers as text
            assertEquals(before + 1, store.count(KB));

            AgentResult retrieved = run(runtime, "where do I park?", Map.of("op", "retrieve"));
            assertEquals(RunStatus.COMPLETED, retrieved.status(), () -> retrieved.error().toString());
            assertEquals("Parking spaces are on level -2.", retrieved.output());
            assertEquals(id, retrieved.structuredOutput().get("id"));
        }
    }

    @Test
    void updatesAndDeletesReachTheStore() {
        try (AgentRuntime runtime = SharedPython.runtimeFor(SharedPython.script("memory_ops.py"),
                UNUSED_MODEL, store)) {
            AgentResult r = run(runtime, "", Map.of("op", "update-delete"));
            assertEquals(RunStatus.COMPLETED, r.status(), () -> r.error().toString());
            assertEquals("a changed note", r.output());
            assertEquals(Map.of("kind", "final"), r.structuredOutput().get("metadata"));
            assertEquals(1, ((Number) r.structuredOutput().get("deleted")).intValue());
            assertNull(r.structuredOutput().get("after"));
        }
    }

    @Test
    void aLangGraphStorePutsGetsSearchesAndListsInGraftMemory() {
        try (AgentRuntime runtime = SharedPython.runtimeFor(SharedPython.script("memory_ops.py"), UNUSED_MODEL, store)) {
            AgentResult r = run(runtime, "", Map.of("op", "langgraph"));
            assertEquals(RunStatus.COMPLETED, r.status(), () -> r.error().toString());
            Map<String, Object> out = r.structuredOutput();
            assertEquals("prefers jasmine tea", r.output()); // the second put replaced the first
            assertEquals("drink", out.get("found"));
            assertEquals(List.of("users", "u1", "prefs"), out.get("found_ns"));
            assertEquals(List.of("black coffee", "prefers jasmine tea"), out.get("ranked"));
            assertEquals(List.of(List.of("users", "u1"), List.of("users", "u2")), out.get("namespaces"));
            assertEquals(true, out.get("gone"));
            assertEquals(2, ((Number) out.get("count")).intValue());
            assertEquals(2, store.count(new Namespace("default", "lg")));
        }
    }

    @Test
    void anAutoGenMemoryAddsTheClosestMemoryToTheModelContextAndClears() {
        try (AgentRuntime runtime = SharedPython.runtimeFor(SharedPython.script("memory_ops.py"), UNUSED_MODEL, store)) {
            AgentResult r = run(runtime, "", Map.of("op", "autogen"));
            assertEquals(RunStatus.COMPLETED, r.status(), () -> r.error().toString());
            assertTrue(r.output().contains("1. The user's timezone is Europe/Oslo."), r.output());
            assertEquals(1, ((Number) r.structuredOutput().get("memories")).intValue());
            assertEquals("text/plain", r.structuredOutput().get("mime"));
            assertEquals(2, ((Number) r.structuredOutput().get("before_clear")).intValue());
            assertEquals(0, ((Number) r.structuredOutput().get("after_clear")).intValue());
        }
    }

    @Test
    void crewAIsMemoryKeepsItsRecordsInGraftMemory() {
        try (AgentRuntime runtime = SharedPython.runtimeFor(SharedPython.script("memory_ops.py"), UNUSED_MODEL, store)) {
            AgentResult r = run(runtime, "", Map.of("op", "crewai"));
            assertEquals(RunStatus.COMPLETED, r.status(), () -> r.error().toString());
            Map<String, Object> out = r.structuredOutput();
            assertEquals("Deploys happen on Tuesdays between 10 and 12.", r.output());
            assertEquals(List.of("/ops/data", "/ops/release"), out.get("scopes"));
            assertEquals(Map.of("schedule", 1, "data", 1), out.get("categories"));
            assertEquals(2, ((Number) out.get("count")).intValue());
            assertEquals(List.of("Deploys happen on Tuesdays between 10 and 12."), out.get("schedule"));
            assertEquals(1, ((Number) out.get("forgotten")).intValue());
            assertEquals(1, ((Number) out.get("after")).intValue());
            assertEquals(1, store.count(new Namespace("default", "crew")));
        }
    }

    @Test
    void anEmptyTextFailsTheRunWithTheStoresMessageAndKeepsWhatIsStored() {
        try (AgentRuntime runtime = SharedPython.runtimeFor(SharedPython.script("memory_ops.py"),
                UNUSED_MODEL, store)) {
            long before = store.count(KB);
            AgentResult r = run(runtime, "", Map.of("op", "empty"));
            assertEquals(RunStatus.FAILED, r.status());
            String message = r.error().orElseThrow().message();
            assertTrue(message.contains("MemoryException: text must not be empty"), message);
            assertTrue(r.error().orElseThrow().traceback().contains("memory_ops.py"), r.error().toString());
            assertEquals(before, store.count(KB));
        }
    }

    @Test
    void anAgentsOwnMemoryIsTheTasksNamespace() {
        try (AgentRuntime runtime = SharedPython.runtimeFor(SharedPython.script("memory_ops.py"),
                UNUSED_MODEL, store)) {
            assertEquals("default/memory-ops", run(runtime, "", Map.of("op", "own")).output());
            AgentResult tenant = runtime.run(new AgentTask("t-1", "memory-ops", "", Map.of("op", "own"), List.of(), List.of(),
                    "acme/helper", AgentTask.DEFAULT_TIMEOUT, Map.of()));
            assertEquals("acme/helper", tenant.output());
        }
    }

    @Test
    void aLangChainRetrievalChainAnswersFromWhatAnotherAgentLearned() {
        List<ChatRequest> seen = new CopyOnWriteArrayList<>();
        ChatModel recording = recording(ScriptedChatModel.fromFile(SharedPython.example("langchain_rag/scripted.json")), seen);
        try (AgentRuntime runtime = SharedPython.runtimeFor(SharedPython.example("langchain_rag/agent.py"), recording, store)) {
            AgentResult learned = runtime.run(AgentTask.of("handbook-learn",
                    "Invoices are due on the 5th of each month.\nThe office closes at 6 pm on Fridays.\nGuests sign in at reception."));
            assertEquals(RunStatus.COMPLETED, learned.status(), () -> learned.error().toString());
            assertEquals("stored 3 lines", learned.output());

            AgentResult answer = runtime.run(AgentTask.of("handbook-rag", "When do invoices have to be paid?"));
            assertEquals(RunStatus.COMPLETED, answer.status(), () -> answer.error().toString());
            assertEquals("Invoices are due on the 5th of each month.", answer.output());
            String system = seen.getLast().messages().getFirst().content();
            assertTrue(system.contains("- Invoices are due on the 5th of each month."), system); // retrieved into the prompt
        }
    }

    @Test
    void aCrewsKnowledgeSourcesLiveInGraftMemoryOnceAndReachTheAgentsPrompt() {
        List<ChatRequest> seen = new CopyOnWriteArrayList<>();
        ChatModel recording = recording(ScriptedChatModel.fromFile(SharedPython.example("crewai_knowledge/scripted.json")), seen);
        Namespace knowledge = new Namespace("default", "knowledge-crew");
        try (AgentRuntime runtime = SharedPython.runtimeFor(SharedPython.example("crewai_knowledge/agent.py"), recording, store)) {
            for (int i = 0; i < 2; i++) {
                AgentResult r = runtime.run(AgentTask.of("crewai-help-desk", "When do I have to pay?"));
                assertEquals(RunStatus.COMPLETED, r.status(), () -> r.error().toString());
                assertEquals("Invoices are due on the 5th of each month.", r.output());
                String prompt = String.join("\n", seen.getLast().messages().stream().map(m -> m.content()).toList());
                assertTrue(prompt.contains("Invoices are due on the 5th of each month."), prompt); // found in the handbook
                assertEquals(3, store.count(knowledge), "each handbook line is stored once, in the tenant's collection");
            }
        }
    }

    private static ChatModel recording(ChatModel scripted, List<ChatRequest> seen) {
        return new ChatModel() {
            @Override
            public ChatResponse chat(ChatRequest request) {
                seen.add(request);
                return scripted.chat(request);
            }

            @Override
            public String name() {
                return scripted.name();
            }
        };
    }
}
