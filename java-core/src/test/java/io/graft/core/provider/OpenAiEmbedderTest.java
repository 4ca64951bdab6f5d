package io.graft.core.provider;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.graft.core.json.Json;
import io.graft.core.memory.MemoryException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class OpenAiEmbedderTest {
    final FakeProvider server = new FakeProvider();

    @AfterEach
    void stop() {
        server.close();
    }

    static String vectors(int count, int dim, boolean reversed) {
        List<Map<String, Object>> data = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int index = reversed ? count - 1 - i : i;
            List<Double> v = new ArrayList<>();
            for (int j = 0; j < dim; j++) {
                v.add(index + j / 10.0);
            }
            data.add(Map.of("object", "embedding", "index", index, "embedding", v));
        }
        return Json.write(Map.of("object", "list", "data", data, "model", "emb"));
    }

    @Test
    void embedsInBatchesAndOrdersVectorsByTheirIndex() {
        server.then(FakeProvider.json(vectors(2, 3, true)), FakeProvider.json(vectors(1, 3, false)));
        var e = new OpenAiEmbedder(Endpoint.of("local", server.base()), "emb", 3, 2, true, Clock.systemUTC());
        List<float[]> out = e.embed(List.of("a", "b", "c"));
        assertEquals(3, out.size());
        assertArrayEquals(new float[] {0f, 0.1f, 0.2f}, out.get(0));
        assertArrayEquals(new float[] {1f, 1.1f, 1.2f}, out.get(1));
        assertEquals(2, server.count());
        assertEquals("/v1/embeddings", server.received().getFirst().path());
        assertEquals(List.of("a", "b"), server.received().getFirst().body().get("input"));
        assertEquals(3, server.received().getFirst().body().get("dimensions"));
    }

    @Test
    void rejectsVectorsOfTheWrongDimensionNamingTheText() {
        server.then(FakeProvider.json(vectors(1, 4, false)));
        var e = new OpenAiEmbedder(Endpoint.of("local", server.base()), "emb", 3);
        var ex = assertThrows(MemoryException.class, () -> e.embed(List.of("x")));
        assertTrue(ex.getMessage().contains("4 floats for text 0; expected 3"), ex.getMessage());
    }

    @Test
    void rejectsAnEmptyTextByIndexBeforeCallingTheServer() {
        var e = new OpenAiEmbedder(Endpoint.of("local", server.base()), "emb", 3);
        var ex = assertThrows(MemoryException.class, () -> e.embed(List.of("ok", " ")));
        assertTrue(ex.getMessage().startsWith("text 1 is empty"), ex.getMessage());
        assertEquals(0, server.count());
    }

    @Test
    void turnsAProviderFailureIntoAMemoryExceptionNamingTheTexts() {
        server.then(FakeProvider.status(500, "boom", Map.of()));
        var e = new OpenAiEmbedder(Endpoint.of("local", server.base()), "emb", 3);
        var ex = assertThrows(MemoryException.class, () -> e.embed(List.of("x", "y")));
        assertTrue(ex.getMessage().contains("texts 0..1") && ex.getCause() instanceof ProviderException, ex.getMessage());
    }
}
