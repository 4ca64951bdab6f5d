package io.graft.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.graft.core.json.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AgentsApiTest {
    private static final String ADDER = """
            {"type": "react", "name": "adder", "description": "adds", "max_steps": 3, "tools": ["calculator"]}""";

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
    void theAgentsDirectoryIsLoadedAtStartAndListed() {
        var r = t.get("/v1/agents");
        assertEquals(200, r.status());
        var native_ = r.list("agents").stream().filter(a -> a.get("name").equals("calculator-native")).findFirst().orElseThrow();
        assertEquals("native", native_.get("framework"));
        assertEquals("native_react/agent.json", native_.get("source"));
        assertEquals(0, r.list("problems").size(), r.body());
        var one = t.get("/v1/agents/calculator-native");
        assertEquals(200, one.status());
        assertEquals("Solves arithmetic with a calculator: Graft's native Java ReAct agent.", one.json().get("description"));
        assertEquals(Map.of("type", "string", "description", "the task text"),
                ((Map<?, ?>) ((Map<?, ?>) one.json().get("input_schema")).get("properties")).get("input"), one.body());
        assertFalse(native_.containsKey("input_schema"), "listings stay short: " + native_);
    }

    @Test
    void anUnknownAgentIsA404Problem() {
        var r = t.get("/v1/agents/nobody");
        assertEquals(404, r.status());
        assertTrue(r.contentType().startsWith("application/problem+json"));
        assertEquals("no agent named 'nobody'", r.json().get("detail"));
    }

    @Test
    void anUploadedDefinitionServesAtOnceAndIsStoredInTheDirectory() throws Exception {
        var r = t.put("/v1/agents/adder", "application/json", ADDER);
        assertEquals(201, r.status(), r.body());
        assertEquals("adder.json", r.json().get("source"));
        assertTrue(Files.isRegularFile(t.agents.resolve("adder.json")));
        var run = t.post("/v1/runs", "{\"agent\": \"adder\", \"input\": \"17*23+4\", \"wait\": true}");
        assertEquals("COMPLETED", run.json().get("status"), run.body());
        assertEquals(200, t.put("/v1/agents/adder", "application/json", ADDER.replace("adds", "adds well")).status());
        assertEquals("adds well", t.get("/v1/agents/adder").json().get("description"));
    }

    @Test
    void aDefinitionThatDoesNotLoadChangesNothingAndNamesTheFile() {
        t.put("/v1/agents/adder", "application/json", ADDER);
        var bad = t.put("/v1/agents/adder", "application/json", ADDER.replace("\"max_steps\": 3", "\"max_steps\": -1"));
        assertEquals(422, bad.status(), bad.body());
        assertEquals("adder.json", bad.json().get("file"));
        assertTrue(((String) bad.json().get("detail")).contains("max_steps"), bad.body());
        assertEquals("adds", t.get("/v1/agents/adder").json().get("description"));
        var wrongName = t.put("/v1/agents/other", "application/json", ADDER);
        assertEquals(422, wrongName.status());
        assertEquals("other.json defines [adder] but not 'other'", wrongName.json().get("detail"));
        assertEquals(404, t.get("/v1/agents/other").status());
    }

    @Test
    void deletingAnAgentRemovesItAndItsFile() {
        t.put("/v1/agents/adder", "application/json", ADDER);
        assertEquals(204, t.delete("/v1/agents/adder").status());
        assertEquals(404, t.get("/v1/agents/adder").status());
        assertTrue(!Files.exists(t.agents.resolve("adder.json")));
        assertEquals(404, t.delete("/v1/agents/adder").status());
        var invalid = t.delete("/v1/agents/%20bad");
        assertEquals(400, invalid.status());
        assertEquals("name", invalid.json().get("field"));
        assertEquals(404, t.delete("/v1/agents/..%2F..%2Fetc").status());
    }

    @Test
    void aChangedFileIsReloadedAndABrokenOneKeepsThePreviousVersion() throws Exception {
        Path file = t.agents.resolve("watched.json");
        Files.writeString(file, ADDER.replace("adder", "watched"));
        TestServer.await(() -> t.get("/v1/agents/watched").status() == 200);
        Files.writeString(file, ADDER.replace("adder", "watched").replace("adds", "changed"));
        TestServer.await(() -> "changed".equals(t.get("/v1/agents/watched").json().get("description")));
        Files.writeString(file, "{ not json");
        TestServer.await(() -> !t.get("/v1/agents").list("problems").isEmpty());
        var problem = t.get("/v1/agents").list("problems").getFirst();
        assertEquals("watched.json", problem.get("file"));
        assertTrue(((String) problem.get("message")).startsWith("watched.json: watched.json is not a JSON object"), problem.toString());
        assertEquals("changed", t.get("/v1/agents/watched").json().get("description"));
        Files.delete(file);
        TestServer.await(() -> t.get("/v1/agents/watched").status() == 404);
    }

    @Test
    void aFileThatDefinesANameAnotherFileDefinesIsReportedUntilTheNameIsFree() throws Exception {
        Files.writeString(t.agents.resolve("twin.json"), ADDER.replace("adder", "calculator-native").replace("adds", "twin"));
        TestServer.await(() -> !t.get("/v1/agents").list("problems").isEmpty());
        var problem = t.get("/v1/agents").list("problems").getFirst();
        assertEquals("twin.json", problem.get("file"));
        assertEquals("twin.json defines agent 'calculator-native', which native_react/agent.json already defines; "
                + "rename it in one of the two files (AGENT_NAME in a Python script)", problem.get("message"));
        var served = t.get("/v1/agents/calculator-native").json();
        assertEquals("native_react/agent.json", served.get("source"));
        var run = t.post("/v1/runs", Json.write(Map.of("agent", "calculator-native", "input", "What is 2 + 2?", "wait", true)));
        assertEquals(200, run.status(), run.body());
        assertEquals("COMPLETED", run.json().get("status"), run.body());

        // Once the name is free, the refused file loads without being touched.
        Files.delete(t.agents.resolve("native_react/agent.json"));
        TestServer.await(() -> "twin".equals(t.get("/v1/agents/calculator-native").json().get("description")));
        assertEquals("twin.json", t.get("/v1/agents/calculator-native").json().get("source"));
        assertEquals(0, t.get("/v1/agents").list("problems").size());
    }

    @Test
    void uploadsAndDeletionsAreAudited() {
        t.put("/v1/agents/adder", "application/json", ADDER);
        t.delete("/v1/agents/adder");
        var records = t.get("/v1/audit").list("records");
        assertEquals("agent.delete", records.get(0).get("action"));
        assertEquals(Map.of("action", "agent.create", "target", "adder"),
                Map.of("action", records.get(1).get("action"), "target", records.get(1).get("target")));
    }

    /** Puts the adder in a new subdirectory, as agent.json, and waits until the watch has loaded it. */
    private Path adderInASubdirectory() throws Exception {
        Path sub = t.agents.resolve("adder_dir");
        Files.createDirectories(sub);
        Files.writeString(sub.resolve("agent.json"), ADDER);
        TestServer.await(() -> t.get("/v1/agents/adder").status() == 200);
        return sub;
    }

    @Test
    void editsOfTheDirectoryAreAuditedAsTheSystemsAndADeletedSubdirectoryStopsServing() throws Exception {
        Path sub = adderInASubdirectory();
        Files.writeString(sub.resolve("agent.json"), ADDER.replace("adds", "adds again"));
        TestServer.await(() -> "adds again".equals(t.get("/v1/agents/adder").json().get("description")));
        Files.delete(sub.resolve("agent.json"));
        Files.delete(sub);
        TestServer.await(() -> t.get("/v1/agents/adder").status() == 404);
        TestServer.await(() -> t.get("/v1/audit").list("records").stream().anyMatch(r -> "agent.remove".equals(r.get("action"))));
        var edits = t.get("/v1/audit").list("records").stream().filter(r -> "system".equals(r.get("tenant")))
                .map(r -> r.get("action") + " " + r.get("target") + " " + r.get("detail")).toList();
        assertEquals(java.util.List.of("agent.remove adder adder_dir/agent.json", "agent.reload adder adder_dir/agent.json",
                "agent.load adder adder_dir/agent.json"), edits);
    }

    @Test
    void aSubdirectoryMovedOutOfTheDirectoryTakesItsAgentsWithIt() throws Exception {
        Path sub = adderInASubdirectory();
        Files.move(sub, dir.resolve("elsewhere"));
        TestServer.await(() -> t.get("/v1/agents/adder").status() == 404);
        assertEquals(200, t.get("/v1/agents/calculator-native").status());
    }

    @Test
    void anAgentNameLongerThanTheStoreKeepsIsAProblemNotAnAgentWhoseRunsAllFail() throws Exception {
        String name = "a".repeat(250);
        Files.writeString(t.agents.resolve("long.json"), ADDER.replace("adder", name));
        TestServer.await(() -> !t.get("/v1/agents").list("problems").isEmpty());
        var problem = t.get("/v1/agents").list("problems").getFirst();
        assertEquals("long.json", problem.get("file"));
        assertEquals("long.json defines an agent whose name has 250 characters ('aaaaaaaaaaaaaaaaaaaa...'); an agent name"
                + " has at most 200", problem.get("message"));
        assertEquals(404, t.get("/v1/agents/" + name).status());
    }
}
