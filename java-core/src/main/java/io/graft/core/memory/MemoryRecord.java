package io.graft.core.memory;

import java.util.Map;
import java.util.Optional;

/**
 * What to store: a text, its vector if the caller already has one (otherwise the store's
 * {@link Embedder} computes it), and string metadata that searches can filter on.
 */
public record MemoryRecord(String text, Optional<float[]> vector, Map<String, String> metadata) {

    public MemoryRecord {
        MemoryChecks.requireText(text);
        vector = vector.map(float[]::clone);
        metadata = MemoryChecks.requireMetadata(metadata);
    }

    public static MemoryRecord of(String text) {
        return new MemoryRecord(text, Optional.empty(), Map.of());
    }

    public static MemoryRecord of(String text, Map<String, String> metadata) {
        return new MemoryRecord(text, Optional.empty(), metadata);
    }

    public static MemoryRecord of(String text, float[] vector, Map<String, String> metadata) {
        return new MemoryRecord(text, Optional.of(vector), metadata);
    }

    @Override
    public Optional<float[]> vector() {
        return vector.map(float[]::clone);
    }
}
