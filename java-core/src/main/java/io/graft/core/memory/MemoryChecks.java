package io.graft.core.memory;

import java.util.Map;

/**
 * The input rules every {@link MemoryStore} applies before it touches anything stored, with the
 * exact messages users see. Shared so that all implementations reject the same inputs the same way.
 */
public final class MemoryChecks {
    /** The largest k a search accepts: more hits than an agent can use, small enough to bound memory. */
    public static final int MAX_K = 1000;
    public static final int MAX_LIST = 10_000;
    public static final int MAX_TEXT_CHARS = 100_000;
    public static final int MAX_METADATA_ENTRIES = 64;

    private MemoryChecks() {}

    public static String requireText(String text) {
        if (text.isBlank()) {
            throw new MemoryException("text must not be empty");
        }
        if (text.length() > MAX_TEXT_CHARS) {
            throw new MemoryException("text must be at most " + MAX_TEXT_CHARS + " characters, was " + text.length());
        }
        return text;
    }

    public static Map<String, String> requireMetadata(Map<String, String> metadata) {
        if (metadata.size() > MAX_METADATA_ENTRIES) {
            throw new MemoryException("metadata must have at most " + MAX_METADATA_ENTRIES + " entries, had " + metadata.size());
        }
        for (String key : metadata.keySet()) {
            if (key.isEmpty()) {
                throw new MemoryException("metadata key must not be empty");
            }
        }
        return Map.copyOf(metadata);
    }

    public static int requireK(int k) {
        if (k <= 0) {
            throw new MemoryException("k must be positive, was " + k);
        }
        if (k > MAX_K) {
            throw new MemoryException("k must be at most " + MAX_K + ", was " + k);
        }
        return k;
    }

    public static int requireLimit(int limit) {
        if (limit <= 0) {
            throw new MemoryException("limit must be positive, was " + limit);
        }
        if (limit > MAX_LIST) {
            throw new MemoryException("limit must be at most " + MAX_LIST + ", was " + limit);
        }
        return limit;
    }

    /** Checks a vector's length and that every component is finite; {@code what} names it in errors. */
    public static float[] requireVector(float[] vector, int dimension, String what) {
        if (vector.length != dimension) {
            throw new MemoryException(what + " must have dimension " + dimension + ", was " + vector.length);
        }
        for (int i = 0; i < vector.length; i++) {
            if (!Float.isFinite(vector[i])) {
                throw new MemoryException(what + " component " + i + " must be finite, was " + vector[i]);
            }
        }
        return vector;
    }
}
