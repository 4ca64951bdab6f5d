package io.graft.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.graft.core.json.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server with real Python agents of three frameworks (the LangGraph, CrewAI and AutoGen
 * examples) on real GraalPy, over a real socket: readiness waits for the warm-up, each agent runs
 * alone, and a pipeline workflow runs them one after another. An integration test: it needs the
 * GraalPy venv and the Graal compiler, which failsafe's JVM has.
 */
class PythonServerIT {
    private static final String SCRIPT = """
            [
              {"tool_calls": [{"name": "calculator", "args": {"expression": "17 * 23 + 4"}}]},
              {"content": "17 * 23 + 4 = 395."},
              {"content": "17 * 23 is 391, plus 4 is 395. APPROVED"}
            ]""";
    private static final Map<String, String> AGENTS = Map.of(
            "calculator-langgraph", "langgraph", "crewai-research-crew", "crewai", "autogen-review-team", "autogen");

    @TempDir
    static Path dir;
    static TestServer t;
    static Map<String, Object> firstReadiness;

    @BeforeAll
    static void start() throws IOException {
        Path agents = dir.resolve("agents");
        for (String example : List.of("native_react", "langgraph_prebuilt", "crewai_sequential", "autogen_round_robin")) {
            copyTree(TestServer.ROOT.resolve("examples").resolve(example), agents.resolve(example));
        }
        Files.writeString(dir.resolve("scripted.json"), SCRIPT);
        t = new TestServer(dir, s -> s, Map.of(
                "GRAFT_MODEL", "scripted:" + dir.resolve("scripted.json"),
                "GRAFT_PYTHON_POOL_SIZE", "1",
                "GRAFT_PYTHON_QUEUE_PER_CONTEXT", "0",
                "GRAFT_PYTHON_WARMUP_SECONDS", "5",
                "GRAFT_AGENTS_WATCH", "false"));
        firstReadiness = t.get("/health/ready").json();
        long end = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
        while (t.get("/health/ready").status() != 200) {
            assertTrue(System.nanoTime() < end, "not ready within 10 minutes: " + t.get("/health/ready").body());
            sleep(200);
        }
    }

    @AfterAll
    static void stop() {
        if (t != null) {
            t.close();
        }
    }

    @Test
    void readinessWaitsUntilThePoolHasRunTheLoadedAgents() {
        assertEquals("DOWN", firstReadiness.get("status"), firstReadiness.toString());
        assertTrue(firstReadiness.toString().contains("0 of 1 Python contexts warm"), firstReadiness.toString());
        var ready = t.get("/health/ready");
        assertEquals(200, ready.status(), ready.body());
        Map<?, ?> python = (Map<?, ?>) ((Map<?, ?>) ready.json().get("checks")).get("python");
        assertEquals("UP", python.get("status"), ready.body());
        // Every agent's warm-up runs completed: none is listed as not warmed up.
        assertTrue(String.valueOf(python.get("detail")).startsWith("1 Python contexts warm, "), ready.body());
        assertFalse(ready.body().contains("not warmed up"), ready.body());
        assertTrue(t.get("/metrics").body().contains("graft_python_pool_ready 1.0"), "the ready gauge counts the warm context");
    }

    @Test
    void eachFrameworksAgentRunsOverHttpWithItsToolCall() {
        for (var agent : AGENTS.entrySet()) {
            var described = t.get("/v1/agents/" + agent.getKey());
            assertEquals(agent.getValue(), described.json().get("framework"), described.body());
            var run = t.post("/v1/runs", Json.write(Map.of("agent", agent.getKey(), "input", "What is 17 * 23 + 4?",
                    "wait", true))).json();
            assertEquals("COMPLETED", run.get("status"), run.toString());
            assertEquals(agent.getValue(), run.get("framework"));
            Map<?, ?> result = (Map<?, ?>) run.get("result");
            assertTrue(String.valueOf(result.get("output")).contains("395"), run.toString());
            assertTrue(String.valueOf(result.get("steps")).contains("calculator"), "the tool call is a step: " + run);
        }
    }

    @Test
    void aPipelineOfThreeFrameworksShowsEachStepWithItsAgentAndFramework() throws Exception {
        var created = t.post("/v1/workflows", """
                {"name": "mixed-pipeline", "pattern": "pipeline",
                 "agents": ["calculator-langgraph", "crewai-research-crew", "autogen-review-team"]}""");
        assertEquals(201, created.status(), created.body());
        var run = t.post("/v1/runs", """
                {"agent": "mixed-pipeline", "input": "What is 17 * 23 + 4?", "wait": true}""").json();
        assertEquals("COMPLETED", run.get("status"), run.toString());
        Map<?, ?> result = (Map<?, ?>) run.get("result");
        assertTrue(String.valueOf(result.get("output")).contains("APPROVED"), run.toString());
        // Every step did its own work: the AutoGen team's writer called the tool too.
        long toolCalls = ((List<?>) result.get("steps")).stream().filter(s -> "tool_call".equals(((Map<?, ?>) s).get("type"))).count();
        assertEquals(3, toolCalls, run.toString());

        List<String[]> events = RunsApiTest.sse(t, (String) run.get("id"), null);
        // Each step's answer is a message named after the step's framework, with the step's agent.
        List<List<Object>> steps = events.stream().filter(e -> e[1].equals("message"))
                .map(e -> Json.readMap(e[2], "message"))
                .filter(m -> ((Map<?, ?>) m.get("message")).get("name") instanceof String name && AGENTS.containsValue(name))
                .map(m -> List.<Object>of(m.get("agent"), ((Map<?, ?>) m.get("message")).get("name")))
                .toList();
        assertEquals(List.of(List.of("calculator-langgraph", "langgraph"), List.of("crewai-research-crew", "crewai"),
                List.of("autogen-review-team", "autogen")), steps);
    }

    @Test
    void anUploadedScriptThatDoesNotLoadNamesItsLineAndLeavesTheDirectoryAsItWas() throws Exception {
        var broken = t.put("/v1/agents/broken", "text/x-python", """
                import graft


                @graft.agent(name="broken")
                def broken(task):
                    return task["input"] +
                """);
        assertEquals(422, broken.status(), broken.body());
        assertTrue(broken.contentType().startsWith("application/problem+json"), broken.contentType());
        assertEquals("broken.py", broken.json().get("file"), broken.body());
        assertEquals(6, broken.json().get("line"), broken.body());
        assertFalse(Files.exists(t.agents.resolve("broken.py")));

        // A script that also declares another file's agent would take that name at the next start: refused before it is stored.
        var twin = t.put("/v1/agents/twin", "text/x-python", """
                import graft


                @graft.agent(name="twin")
                def twin(task):
                    return "twin"


                @graft.agent(name="calculator-native")
                def impostor(task):
                    return "not a calculator"
                """);
        assertEquals(409, twin.status(), twin.body());
        assertEquals("native_react/agent.json", twin.json().get("file"), twin.body());
        assertFalse(Files.exists(t.agents.resolve("twin.py")));
        assertEquals(404, t.get("/v1/agents/twin").status());
        assertEquals("native", t.get("/v1/agents/calculator-native").json().get("framework"));
    }

    @Test
    void aPythonRunThePoolHasNoPlaceForIsRefusedAtOnceAndNativeRunsGoOn() {
        // The pool has 1 context and no place to wait (GRAFT_PYTHON_QUEUE_PER_CONTEXT=0).
        var sleeper = t.put("/v1/agents/sleeper", "text/x-python", """
                import time

                import graft


                @graft.agent(name="sleeper")
                def sleeper(task):
                    time.sleep(1.5)
                    return "slept"
                """);
        assertEquals(201, sleeper.status(), sleeper.body());
        var first = t.post("/v1/runs", "{\"agent\": \"sleeper\", \"input\": \"x\"}");
        assertEquals(202, first.status(), first.body());
        var second = t.post("/v1/runs", "{\"agent\": \"sleeper\", \"input\": \"y\"}");
        assertEquals(429, second.status(), second.body());
        assertEquals("the Python pool's 1 contexts and 0 places to wait for one are all taken; try again later",
                second.json().get("detail"));
        assertTrue(second.raw().headers().firstValue("Retry-After").isPresent());
        var native_ = t.post("/v1/runs", "{\"agent\": \"calculator-native\", \"input\": \"What is 2 + 2?\", \"wait\": true}");
        assertEquals("COMPLETED", native_.json().get("status"), native_.body());
        String id = (String) first.json().get("id");
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!"COMPLETED".equals(t.get("/v1/runs/" + id).json().get("status"))) {
            assertTrue(System.nanoTime() < end, t.get("/v1/runs/" + id).body());
            sleep(50);
        }
        var third = t.post("/v1/runs", "{\"agent\": \"sleeper\", \"input\": \"z\", \"wait\": true}");
        assertEquals("slept", ((Map<?, ?>) third.json().get("result")).get("output"), "the first run's end gave its place back");
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path p : paths.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else if (!p.getFileName().toString().endsWith(".pyc")) {
                    Files.copy(p, target);
                }
            }
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
