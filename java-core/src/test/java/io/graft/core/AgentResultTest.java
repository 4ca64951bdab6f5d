package io.graft.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AgentResultTest {
    @Test
    void structuredOutputKeepsJsonNullsAndCannotBeChanged() {
        Map<String, Object> answer = new HashMap<>();
        answer.put("found", null);
        answer.put("count", 2);
        AgentResult r = AgentResult.completed(AgentTask.of("a", "x"), Framework.PYTHON, "done", answer, List.of());

        assertTrue(r.structuredOutput().containsKey("found"));
        assertNull(r.structuredOutput().get("found"));
        assertEquals(2, r.structuredOutput().get("count"));
        assertThrows(UnsupportedOperationException.class, () -> r.structuredOutput().put("x", 1));
    }
}
