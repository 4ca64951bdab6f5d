package io.graft.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.graft.core.json.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorkflowsApiTest {
    @TempDir
    Path dir;
    TestServer t;

    @BeforeEach
    void start() {
        t = new TestServer(dir);
    }

    @AfterEach
    void stop() {
        t.close();
    }

    @Test
    void aPipelineWorkflowRunsLikeAnAgentAndItsStepsShowInTheEvents() throws Exception {
        var created = t.post("/v1/workflows", """
                {"name": "calc-then-echo", "pattern": "pipeline", "agents": ["calculator-native", "history"]}""");
        assertEquals(201, created.status(), created.body());
        assertTrue(Files.isRegularFile(t.agents.resolve("calc-then-echo.json")));
        assertEquals("native", t.get("/v1/agents/calc-then-echo").json().get("framework"));

        var run = t.post("/v1/runs", """
                {"agent": "calc-then-echo", "input": "What is 17 * 23 + 4?", "wait": true}""").json();
        assertEquals("COMPLETED", run.get("status"), run.toString());
        assertEquals("heard 0 [] now: 17 * 23 + 4 = 395.", ((Map<?, ?>) run.get("result")).get("output"));

        List<String[]> events = RunsApiTest.sse(t, (String) run.get("id"), null);
        List<String> names = events.stream().map(e -> e[1]).toList();
        assertTrue(names.containsAll(List.of("run_started", "token", "llm_turn", "tool_call", "tool_result", "message", "finished")),
                names.toString());
        // The last two messages are the steps' answers, each with its agent and framework.
        List<Map<String, Object>> stepMessages = events.stream().filter(e -> e[1].equals("message"))
                .map(e -> Json.readMap(e[2], "message")).filter(m -> "native".equals(((Map<?, ?>) m.get("message")).get("name")))
                .toList();
        assertEquals(List.of("calculator-native", "history"), stepMessages.stream().map(m -> m.get("agent")).toList());
    }

    @Test
    void aWorkflowNamingAnUnknownAgentIsRefusedNamingTheField() {
        var r = t.post("/v1/workflows", """
                {"name": "wf", "pattern": "debate", "agents": ["history"], "moderator": "nobody"}""");
        assertEquals(422, r.status(), r.body());
        assertEquals("moderator", r.json().get("field"));
        var bad = t.post("/v1/workflows", """
                {"name": "wf", "pattern": "debate", "agents": ["history"], "moderator": "history", "rounds": 0}""");
        assertEquals(422, bad.status(), bad.body());
        assertTrue(((String) bad.json().get("detail")).contains("field 'rounds' must be a positive integer"), bad.body());
        assertEquals(404, t.get("/v1/agents/wf").status());
    }

    @Test
    void aParallelWorkflowWithAMajorityVoteAnswersWhatMostMembersSaid() {
        t.post("/v1/workflows", """
                {"name": "panel", "pattern": "parallel", "agents": ["calculator-native", "calculator-native", "history"]}""");
        var run = t.post("/v1/runs", "{\"agent\": \"panel\", \"input\": \"17 * 23 + 4\", \"wait\": true}").json();
        Map<?, ?> result = (Map<?, ?>) run.get("result");
        assertEquals("17 * 23 + 4 = 395.", result.get("output"), run.toString());
        assertEquals(2, ((Map<?, ?>) ((Map<?, ?>) result.get("structured_output")).get("votes")).get("17 * 23 + 4 = 395."));
    }
}
