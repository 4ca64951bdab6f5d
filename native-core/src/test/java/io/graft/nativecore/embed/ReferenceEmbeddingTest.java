package io.graft.nativecore.embed;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.langchain4j.model.embedding.onnx.allminilml6v2.AllMiniLmL6V2EmbeddingModel;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Checks Graft's tokenizer, pooling and normalisation against an independent runner of the same
 * model file: LangChain4j's {@code AllMiniLmL6V2EmbeddingModel} (Hugging Face tokenizer through
 * DJL, its own ONNX Runtime calls and pooling).
 */
class ReferenceEmbeddingTest {
    private static MiniLmEmbedder embedder;
    private static AllMiniLmL6V2EmbeddingModel reference;

    @BeforeAll
    static void load(@TempDir Path dir) {
        // Keeps DJL on the jar's CPU library and away from its telemetry probe (see WordPieceTokenizerTest).
        System.setProperty("ai.djl.offline", "true");
        System.setProperty("DJL_CACHE_DIR", dir.resolve("djl").toString());
        embedder = MiniLmEmbedder.builder().cacheSize(0).build();
        reference = new AllMiniLmL6V2EmbeddingModel();
    }

    @AfterAll
    static void close() {
        embedder.close();
    }

    private static float[] unit(float[] v) {
        double norm = 0;
        for (float x : v) {
            norm += (double) x * x;
        }
        float[] u = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            u[i] = (float) (v[i] / Math.sqrt(norm));
        }
        return u;
    }

    @Test
    void givesTheVectorsOfAnIndependentRunnerOfTheSameModel() {
        List<String> texts = List.of(
                "The cat sits on the mat",
                "Quarterly revenue grew 8% (year-over-year) to $4.2bn.",
                "Café crème, naïve façade — Ångström",
                "東京は日本の首都です。",
                "Graft keeps agent memory in a Rust vector index and searches it by meaning. ".repeat(6));
        List<float[]> ours = embedder.embed(texts);
        for (int i = 0; i < texts.size(); i++) {
            float[] expected = unit(reference.embed(texts.get(i)).content().vector());
            assertEquals(384, expected.length);
            for (int d = 0; d < 384; d++) {
                assertEquals(expected[d], ours.get(i)[d], 1e-4, texts.get(i) + " component " + d);
            }
        }
    }
}
