package io.graft.core.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class MetadataFilterTest {

    @Test
    void mongoStyleMapsBecomeFilterTrees() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("kind", "fact");
        map.put("lang", Map.of("$in", List.of("en", "de")));
        map.put("$or", List.of(Map.of("tag", Map.of("$exists", true)), Map.of("tag", Map.of("$ne", "x"))));

        assertEquals(MetadataFilter.and(
                        MetadataFilter.eq("kind", "fact"),
                        MetadataFilter.in("lang", Set.of("en", "de")),
                        MetadataFilter.or(new MetadataFilter.Exists("tag"), MetadataFilter.not(MetadataFilter.eq("tag", "x")))),
                MetadataFilter.fromMap(map));
        assertEquals(MetadataFilter.all(), MetadataFilter.fromMap(Map.of()));
    }

    @Test
    void numbersAndBooleansMatchTheTextTheyAreStoredAs() {
        assertEquals(MetadataFilter.eq("page", "3"), MetadataFilter.fromMap(Map.of("page", 3)));
        assertEquals(MetadataFilter.in("draft", java.util.Set.of("true")), MetadataFilter.fromMap(Map.of("draft", Map.of("$in", List.of(true)))));
    }

    @Test
    void malformedFiltersAreRejectedNamingTheKeyOrValue() {
        assertEquals("unknown filter operator '$near'", message(Map.of("$near", List.of())));
        assertEquals("filter '$and' needs a non-empty list, was [] (ListN)", message(Map.of("$and", List.of())));
        assertEquals("filter '$in' on 'kind' needs a list, was a (String)", message(Map.of("kind", Map.of("$in", "a"))));
        assertEquals("filter value for 'kind' must be a string, number or boolean, was [1] (List12)",
                message(Map.of("kind", Map.of("$eq", List.of(1)))));
        assertEquals("filter key must not be empty", message(Map.of("", "x")));
    }

    @Test
    void namespacesParseFromTenantSlashAgentAndRejectPathTricks() {
        assertEquals(new Namespace("acme", "support"), Namespace.parse("acme/support"));
        assertEquals("namespace must be tenant/agent, was 'acme'",
                assertThrows(MemoryException.class, () -> Namespace.parse("acme")).getMessage());
        assertEquals("agent must be 1 to 64 of [A-Za-z0-9._-] and not . or .., was '..'",
                assertThrows(MemoryException.class, () -> Namespace.parse("acme/..")).getMessage());
    }

    private static String message(Map<String, ?> map) {
        return assertThrows(MemoryException.class, () -> MetadataFilter.fromMap(map)).getMessage();
    }
}
