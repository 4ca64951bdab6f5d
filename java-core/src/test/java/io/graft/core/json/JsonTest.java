package io.graft.core.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.util.RawValue;
import io.graft.core.GraftException;
import io.graft.core.RunStatus;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class JsonTest {
    record Point(int x, String label) {}

    /** Everything the streaming path writes, and values it hands to the mapper, nested in each other. */
    private static Map<String, Object> tree() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("text", "quote \" backslash \\ newline \n tab \t control \u0001 ü 🙂 </script>");
        m.put("empty", "");
        m.put("int", -7);
        m.put("long", Long.MAX_VALUE);
        m.put("double", 0.1);
        m.put("big double", 1.5e300);
        m.put("not a number", Double.NaN);
        m.put("float", 2.5f);
        m.put("short", (short) 3);
        m.put("decimal", new BigDecimal("12.3400"));
        m.put("yes", true);
        m.put("nothing", null);
        m.put("instant", Instant.parse("2026-12-03T12:00:00.123Z"));
        m.put("duration", Duration.ofMillis(1500));
        m.put("optional", Optional.of("x"));
        m.put("absent", Optional.empty());
        m.put("record", new Point(1, "a"));
        m.put("enum", RunStatus.COMPLETED);
        m.put("raw", new RawValue("{\"already\":[1,2]}"));
        m.put("immutable map", Map.of("k", List.of(1, "two", Map.of())));
        m.put("list with nulls", Arrays.asList(null, 1, null));
        m.put("array list", new ArrayList<>(List.of(List.of(), List.of(List.of(true)))));
        m.put("integer keys", new LinkedHashMap<>(Map.of(1, "one")));
        m.put("hash map", new HashMap<>(Map.of("a", 1, "b", 2)));
        return m;
    }

    @Test
    void writesExactlyWhatTheMapperWrites() throws Exception {
        Map<String, Object> tree = tree();
        assertEquals(Json.mapper().writeValueAsString(tree), Json.write(tree));
        assertEquals(Json.mapper().writeValueAsString(List.of(tree, tree)), Json.write(List.of(tree, tree)));
        for (Object leaf : tree.values()) {
            if (leaf != null) {
                assertEquals(Json.mapper().writeValueAsString(leaf), Json.write(leaf), String.valueOf(leaf));
            }
        }
    }

    @Test
    void writtenJsonReadsBack() {
        String json = Json.write(Map.of("run", Map.of("steps", List.of("a", 1, 2.5, false)), "note", "line\nbreak"));
        Map<String, Object> back = Json.readMap(json, "test");
        assertEquals(List.of("a", 1, 2.5, false), ((Map<?, ?>) back.get("run")).get("steps"));
        assertEquals("line\nbreak", back.get("note"));
    }

    @Test
    void aValueTheMapperCannotWriteIsNamedInTheError() {
        var e = assertThrows(GraftException.class, () -> Json.write(Map.of("thread", new Object())));
        assertTrue(e.getMessage().contains("cannot write"), e.getMessage());
    }
}
