package io.graft.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.graft.core.json.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * {@code ./graft serve} serves examples/ by default, and a name defined by two files serves only
 * one of them: every example must name its agents, and no two may share a name. Read from the
 * sources, without starting GraalPy (the agent scripts' naming rules are in agent-scripts.md).
 */
class ExampleNamesTest {
    private static final Pattern AGENT_NAME = Pattern.compile("(?m)^AGENT_NAME = \"([^\"]+)\"");
    private static final Pattern MODULE_AGENT = Pattern.compile("(?m)^agent = ");
    private static final Pattern DECORATED = Pattern.compile("@graft\\.agent\\(name=\"([^\"]+)\"");

    @Test
    void everyExampleNamesItsAgentsAndNoNameIsUsedTwice() throws IOException {
        Map<String, Path> owners = new HashMap<>();
        List<String> clashes = new ArrayList<>();
        List<Path> examples;
        try (Stream<Path> dirs = Files.list(TestServer.ROOT.resolve("examples"))) {
            examples = dirs.filter(Files::isDirectory).sorted().toList();
        }
        int named = 0;
        for (Path dir : examples) {
            for (String name : names(dir)) {
                named++;
                Path before = owners.putIfAbsent(name, dir);
                if (before != null) {
                    clashes.add(name + " (" + before.getFileName() + ", " + dir.getFileName() + ")");
                }
            }
        }
        assertEquals(List.of(), clashes, "agent names defined by more than one example");
        assertTrue(named >= examples.size(), "fewer names than examples: " + owners);
    }

    private static List<String> names(Path dir) throws IOException {
        List<String> names = new ArrayList<>();
        Path json = dir.resolve("agent.json");
        if (Files.isRegularFile(json)) {
            names.add((String) Json.readMap(Files.readString(json), json.toString()).get("name"));
        }
        Path script = dir.resolve("agent.py");
        if (Files.isRegularFile(script)) {
            String source = Files.readString(script);
            if (MODULE_AGENT.matcher(source).find()) {
                Matcher m = AGENT_NAME.matcher(source);
                assertTrue(m.find(), script + " has a module-level agent but no AGENT_NAME: it would be named 'agent'");
                names.add(m.group(1));
            }
            Matcher decorated = DECORATED.matcher(source);
            while (decorated.find()) {
                names.add(decorated.group(1));
            }
        }
        assertFalse(names.isEmpty(), dir + " defines no agent the test can find");
        return names;
    }
}
