package io.graft.core.agents;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.graft.core.AgentDefinitionException;
import io.graft.core.Framework;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NativeAgentDefinitionsTest {
    @TempDir
    Path dir;

    private Path write(String json) throws Exception {
        return Files.writeString(dir.resolve("agent.json"), json);
    }

    @Test
    void readsAReActDefinition() throws Exception {
        var agent = NativeAgentDefinitions.load(write("""
                {"type": "react", "name": "calc", "description": "d", "max_steps": 3, "tools": ["calculator"]}
                """));
        assertEquals("calc", agent.name());
        assertEquals(Framework.NATIVE, agent.descriptor().framework());
        assertEquals("d", agent.descriptor().description());
    }

    @Test
    void badDefinitionsNameTheFileAndTheField() throws Exception {
        Path f = write("{\"name\": \"x\", \"max_step\": 3}");
        AgentDefinitionException e = assertThrows(AgentDefinitionException.class, () -> NativeAgentDefinitions.load(f));
        assertTrue(e.getMessage().startsWith(f + ": unknown field 'max_step'"), e.getMessage());
        Path g = write("{\"name\": \"x\", \"max_steps\": 0}");
        assertTrue(assertThrows(AgentDefinitionException.class, () -> NativeAgentDefinitions.load(g)).getMessage()
                .contains("'max_steps' must be a positive integer, was 0"));
        Path h = write("{\"type\": \"react\"}");
        assertTrue(assertThrows(AgentDefinitionException.class, () -> NativeAgentDefinitions.load(h)).getMessage()
                .contains("field 'name' is required"));
    }
}
