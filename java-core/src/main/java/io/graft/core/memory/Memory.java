package io.graft.core.memory;

import java.util.Map;

/** A stored memory: its id in its namespace, text, vector (as stored) and metadata. */
public record Memory(String id, String text, float[] vector, Map<String, String> metadata) {

    public Memory {
        vector = vector.clone();
        metadata = Map.copyOf(metadata);
    }

    @Override
    public float[] vector() {
        return vector.clone();
    }
}
