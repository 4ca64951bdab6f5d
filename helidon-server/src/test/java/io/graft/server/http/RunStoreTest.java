package io.graft.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.graft.server.http.RunStore.StoredEvent;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class RunStoreTest {
    @Test
    void eventChunksReadBackExactlyWhateverTheDataHolds() {
        List<StoredEvent> events = List.of(new StoredEvent(1, "token", "a\nb 3 x\n"), new StoredEvent(2, "message", ""),
                new StoredEvent(3, "finished", "{\"output\": \"ü\\n 7 end\"}"));
        assertEquals(events, RunStore.decode(RunStore.encode(events)));
    }

    @Test
    void runIdsAreVersion7UuidsThatSortByCreationTimeAndDifferWithinAMillisecond() {
        Instant t0 = Instant.parse("2026-11-23T08:00:00.001Z");
        List<String> ids = List.of(RunService.newId(t0), RunService.newId(t0.plusMillis(1)), RunService.newId(t0.plusSeconds(3600)));
        for (String id : ids) {
            assertEquals(7, UUID.fromString(id).version(), id);
            assertEquals(2, UUID.fromString(id).variant(), id);
        }
        assertEquals(ids, ids.stream().sorted().toList());
        assertNotEquals(RunService.newId(t0), RunService.newId(t0));
    }

    @Test
    void eventsAfterASequenceNumberComeFromEveryChunkInOrder() {
        try (RunStore store = new RunStore("jdbc:h2:mem:chunks;DB_CLOSE_DELAY=-1", "sa", "")) {
            store.appendEvents("r", List.of(new StoredEvent(1, "a", "1"), new StoredEvent(2, "b", "2")));
            store.appendEvents("r", List.of(new StoredEvent(3, "c", "3"), new StoredEvent(4, "d", "4")));
            store.appendEvent("other", new StoredEvent(1, "x", "x"));
            assertEquals(List.of("b", "c", "d"), store.events("r", 1).stream().map(StoredEvent::type).toList());
            assertEquals(List.of("d"), store.events("r", 3).stream().map(StoredEvent::type).toList());
            assertEquals(List.of(), store.events("r", 4));
        }
    }
}
