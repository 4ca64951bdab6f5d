package io.graft.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.graft.server.http.RunStore.StoredEvent;
import java.util.List;
import org.junit.jupiter.api.Test;

class RunStoreTest {
    @Test
    void eventChunksReadBackExactlyWhateverTheDataHolds() {
        List<StoredEvent> events = List.of(new StoredEvent(1, "token", "a\nb 3 x\n"), new StoredEvent(2, "message", ""),
                new StoredEvent(3, "finished", "{\"output\": \"ü\\n 7 end\"}"));
        assertEquals(events, RunStore.decode(RunStore.encode(events)));
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
