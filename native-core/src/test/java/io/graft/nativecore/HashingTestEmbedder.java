package io.graft.nativecore;

import io.graft.core.memory.Embedder;
import io.graft.core.memory.MemoryException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Test double for the embedder (the real ones are the ONNX model and the OpenAI client): a
 * deterministic bag of hashed words, so texts sharing words are near each other.
 */
final class HashingTestEmbedder implements Embedder {
    private final int dimension;

    HashingTestEmbedder(int dimension) {
        this.dimension = dimension;
    }

    @Override
    public String name() {
        return "hashing-test";
    }

    @Override
    public int dimension() {
        return dimension;
    }

    @Override
    public List<float[]> embed(List<String> texts) {
        List<float[]> out = new ArrayList<>(texts.size());
        for (int i = 0; i < texts.size(); i++) {
            String text = texts.get(i);
            if (text.isBlank()) {
                throw new MemoryException("text " + i + " must not be empty");
            }
            float[] v = new float[dimension];
            for (String word : text.toLowerCase(Locale.ROOT).split("\\W+")) {
                if (!word.isEmpty()) {
                    v[Math.floorMod(word.hashCode(), dimension)] += 1f;
                }
            }
            v[dimension - 1] += 0.01f; // never all zeros
            out.add(v);
        }
        return out;
    }
}
