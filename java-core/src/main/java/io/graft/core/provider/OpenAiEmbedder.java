package io.graft.core.provider;

import com.fasterxml.jackson.databind.JsonNode;
import io.graft.core.Checks;
import io.graft.core.memory.Embedder;
import io.graft.core.memory.MemoryException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An {@link Embedder} behind the OpenAI embeddings API ({@code POST /embeddings}), which OpenAI,
 * vLLM, llama.cpp server, Ollama and LM Studio all serve. Texts go in batches of at most
 * {@code batchSize}; every vector is checked against the declared dimension.
 */
public final class OpenAiEmbedder implements Embedder {
    private final ProviderHttp http;
    private final String model;
    private final int dimension;
    private final int batchSize;
    private final boolean sendDimensions;

    /**
     * @param dimension the length of the model's vectors; also sent as {@code dimensions} when
     *     {@code sendDimensions} is set (models that can shorten their vectors)
     */
    public OpenAiEmbedder(Endpoint endpoint, String model, int dimension, int batchSize, boolean sendDimensions, Clock clock) {
        this.http = new ProviderHttp(endpoint, clock);
        this.model = Checks.requireNonBlank(model, "model");
        this.dimension = Checks.requirePositive(dimension, "dimension");
        this.batchSize = Checks.requirePositive(batchSize, "batchSize");
        this.sendDimensions = sendDimensions;
    }

    public OpenAiEmbedder(Endpoint endpoint, String model, int dimension) {
        this(endpoint, model, dimension, 256, false, Clock.systemUTC());
    }

    @Override
    public String name() {
        return http.endpoint().name() + "/" + model;
    }

    @Override
    public int dimension() {
        return dimension;
    }

    @Override
    public List<float[]> embed(List<String> texts) {
        for (int i = 0; i < texts.size(); i++) {
            if (texts.get(i).isBlank()) {
                throw new MemoryException("text " + i + " is empty; " + name() + " cannot embed it");
            }
        }
        List<float[]> out = new ArrayList<>(texts.size());
        for (int from = 0; from < texts.size(); from += batchSize) {
            out.addAll(batch(texts.subList(from, Math.min(texts.size(), from + batchSize)), from));
        }
        return out;
    }

    private List<float[]> batch(List<String> texts, int offset) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("model", model);
        body.put("input", texts);
        if (sendDimensions) {
            body.put("dimensions", dimension);
        }
        Instant until = http.until(Optional.empty());
        JsonNode answer;
        try {
            Map<String, String> auth = http.endpoint().apiKey().map(k -> Map.of("Authorization", "Bearer " + k.reveal())).orElse(Map.of());
            answer = http.postJson(http.request("/embeddings", auth, body, until).build(), until);
        } catch (ProviderException e) {
            throw new MemoryException("cannot embed texts " + offset + ".." + (offset + texts.size() - 1) + " with " + name() + ": "
                    + e.getMessage(), e);
        }
        float[][] vectors = new float[texts.size()][];
        JsonNode data = answer.path("data");
        if (!data.isArray() || data.size() != texts.size()) {
            throw new MemoryException(name() + " returned " + (data.isArray() ? data.size() : 0) + " vectors for " + texts.size()
                    + " texts (texts " + offset + ".." + (offset + texts.size() - 1) + ")");
        }
        for (int i = 0; i < data.size(); i++) {
            JsonNode item = data.get(i);
            int index = item.path("index").asInt(i);
            JsonNode v = item.path("embedding");
            if (index < 0 || index >= texts.size() || vectors[index] != null) {
                throw new MemoryException(name() + " returned a vector with index " + index + " for a batch of " + texts.size());
            }
            if (!v.isArray() || v.size() != dimension) {
                throw new MemoryException(name() + " returned a vector of " + (v.isArray() ? v.size() : 0) + " floats for text "
                        + (offset + index) + "; expected " + dimension);
            }
            float[] f = new float[dimension];
            for (int j = 0; j < dimension; j++) {
                f[j] = (float) v.get(j).asDouble();
            }
            vectors[index] = f;
        }
        return Arrays.asList(vectors);
    }

    @Override
    public String toString() {
        return "OpenAiEmbedder[" + name() + ", dimension " + dimension + "]";
    }

}
