package io.graft.core.memory;

import java.util.List;

/**
 * Turns texts into vectors for a memory store.
 *
 * <p>Implementations are thread-safe: one instance serves concurrent runs.
 */
public interface Embedder {

    /** A short name for listings and errors, e.g. {@code all-minilm-l6-v2}. */
    String name();

    /** The length of every vector this embedder returns. */
    int dimension();

    /**
     * One vector of {@link #dimension()} floats per text, in the order given. Throws
     * {@link MemoryException} naming the text's index when a text is empty or cannot be embedded.
     */
    List<float[]> embed(List<String> texts);

    /** Embeds one text. */
    default float[] embed(String text) {
        return embed(List.of(text)).getFirst();
    }
}
