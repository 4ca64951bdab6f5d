package io.graft.server.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.graft.core.json.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Starts {@code ./graft} as a user does and checks what it prints. */
class LauncherIT {
    private static final Path HOME = Path.of(System.getProperty("graft.home", "..")).toAbsolutePath().normalize();

    private record Outcome(int exit, String out, String err) {}

    private static Outcome graft(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(HOME.resolve("graft").toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(HOME.toFile());
        pb.environment().put("GRAFT_NO_BUILD", "1");
        Path err = java.nio.file.Files.createTempFile("graft-err", ".txt");
        pb.redirectError(err.toFile());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(5, TimeUnit.MINUTES), "graft did not finish");
        try {
            return new Outcome(p.exitValue(), out, java.nio.file.Files.readString(err));
        } finally {
            java.nio.file.Files.delete(err);
        }
    }

    @Test
    void theLauncherStartsGraalPyOnTheOptimizingRuntime() throws Exception {
        Outcome o = graft("info");
        assertEquals(0, o.exit(), o.err());
        assertTrue(o.out().contains("optimizing:  true"), o.out());
        // The default: functions hot only while modules load stay in the interpreter.
        assertTrue(o.out().contains("not compiled: find_spec, _find_and_load"), o.out());
        assertTrue(o.out().contains("java:        25"), o.out());
    }

    @Test
    void runPrintsTheResultOfALangGraphAgentAsJson() throws Exception {
        Outcome o = graft("run", "examples/langgraph_prebuilt/agent.py", "--input", "What is 17 * 23 + 4?", "--json");
        assertEquals(0, o.exit(), o.err());
        Map<String, Object> result = Json.readMap(o.out().strip(), "graft run --json");
        assertEquals("COMPLETED", result.get("status"));
        assertEquals("langgraph", result.get("framework"));
        assertEquals("17 * 23 + 4 = 395.", result.get("output"));
        assertTrue(((List<?>) result.get("steps")).size() >= 6, result.get("steps")::toString);
        assertEquals(2, ((Map<?, ?>) result.get("metrics")).get("llm_calls"));
    }

    @Test
    void runExecutesANativeAgentDefinition() throws Exception {
        Outcome o = graft("run", "examples/native_react/agent.json", "--input", "What is 17 * 23 + 4?");
        assertEquals(0, o.exit(), o.err());
        assertTrue(o.out().startsWith("17 * 23 + 4 = 395."), o.out());
        assertTrue(o.out().contains("COMPLETED · native · calculator-native"), o.out());
    }

    @Test
    void theDemoPrintsBothAgentsAnswers() throws Exception {
        Outcome o = graft("demo", "--warm-runs", "5");
        assertEquals(0, o.exit(), o.err() + o.out());
        assertTrue(o.out().contains("calculator-native") && o.out().contains("calculator-langgraph"), o.out());
        assertEquals(2, o.out().lines().filter(l -> l.contains("COMPLETED") && l.contains("395")).count(), o.out());
    }

    @Test
    void badInputGetsAClearErrorAndANonZeroExit() throws Exception {
        Outcome model = graft("run", "examples/lcel_chain/agent.py", "--input", "x", "--model", "gpt-unknown");
        assertEquals(1, model.exit());
        assertTrue(model.err().contains("unknown model spec 'gpt-unknown'"), model.err());
        Outcome syntax = graft("run", "python-adapters/src/test/resources/scripts/syntax_error.py", "--input", "x",
                "--model", "scripted:examples/lcel_chain/scripted.json");
        assertEquals(1, syntax.exit());
        assertTrue(syntax.err().contains("syntax_error.py:4: SyntaxError"), syntax.err());
    }
}
