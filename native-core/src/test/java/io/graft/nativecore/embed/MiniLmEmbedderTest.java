package io.graft.nativecore.embed;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.graft.core.GraftException;
import io.graft.core.memory.Embedder;
import io.graft.core.memory.MemoryException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class MiniLmEmbedderTest {
    private static final List<String> SENTENCES = List.of(
            "The cat sits on the mat",
            "A kitten is resting on a rug",
            "Quarterly revenue grew 8%",
            "How do I reset my password?",
            "Graft runs LangChain, CrewAI and AutoGen agents on the JVM.",
            "Der Hund schläft im Garten.",
            "short",
            "A somewhat longer sentence about vector search, memory stores and embeddings, "
                    + "written to make this batch hold texts of rather different lengths.");

    private static MiniLmEmbedder embedder;

    @BeforeAll
    static void load() {
        // No cache, so every call below runs the model.
        embedder = MiniLmEmbedder.builder().cacheSize(0).build();
    }

    @AfterAll
    static void close() {
        embedder.close();
    }

    private static double dot(float[] a, float[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += (double) a[i] * b[i];
        }
        return sum;
    }

    private static void assertClose(float[] expected, float[] actual, String what) {
        assertEquals(expected.length, actual.length, what);
        for (int i = 0; i < expected.length; i++) {
            // Padding in a batch changes the floating-point summation order a little, nothing more.
            assertEquals(expected[i], actual[i], 1e-5, what + " component " + i);
        }
    }

    @Test
    void vectorsHave384DimensionsAndUnitLength() {
        assertEquals("all-minilm-l6-v2", embedder.name());
        assertEquals(384, embedder.dimension());
        for (float[] v : embedder.embed(SENTENCES)) {
            assertEquals(384, v.length);
            assertEquals(1.0, Math.sqrt(dot(v, v)), 1e-5);
            assertTrue(Float.isFinite(v[0]) && Float.isFinite(v[383]));
        }
    }

    @Test
    void closeSentencesScoreHigherThanUnrelatedOnes() {
        float[] cat = embedder.embed("The cat sits on the mat");
        float[] kitten = embedder.embed("A kitten is resting on a rug");
        float[] revenue = embedder.embed("Quarterly revenue grew 8%");
        double related = dot(cat, kitten);
        double unrelated = dot(cat, revenue);
        assertTrue(related > 0.4, "cat~kitten was " + related);
        assertTrue(unrelated < 0.2, "cat~revenue was " + unrelated);
        assertTrue(related > unrelated + 0.3, related + " vs " + unrelated);
        float[] sales = embedder.embed("Sales rose by eight percent this quarter");
        assertTrue(dot(revenue, sales) > dot(revenue, kitten), "revenue is closer to sales than to a kitten");
    }

    @Test
    void identicalTextsGiveIdenticalVectors() {
        assertArrayEquals(embedder.embed("The cat sits on the mat"), embedder.embed("The cat sits on the mat"));
        assertTrue(dot(embedder.embed("the CAT sits on the mat"), embedder.embed("The cat sits on the mat")) > 0.9999,
                "the model is uncased");
    }

    @Test
    void aBatchGivesTheSameVectorsAsSingleCalls() {
        List<float[]> batch = embedder.embed(SENTENCES);
        assertEquals(SENTENCES.size(), batch.size());
        for (int i = 0; i < SENTENCES.size(); i++) {
            assertClose(embedder.embed(SENTENCES.get(i)), batch.get(i), SENTENCES.get(i));
        }
    }

    @Test
    void batchesLargerThanTheBatchSizeKeepTheirOrder() {
        try (MiniLmEmbedder small = MiniLmEmbedder.builder().batchSize(3).cacheSize(0).build()) {
            List<float[]> split = small.embed(SENTENCES);
            List<float[]> whole = embedder.embed(SENTENCES);
            for (int i = 0; i < SENTENCES.size(); i++) {
                assertClose(whole.get(i), split.get(i), SENTENCES.get(i));
            }
        }
    }

    @Test
    void anEmptyListGivesNoVectors() {
        assertEquals(List.of(), embedder.embed(List.of()));
    }

    @Test
    void emptyOrBlankTextFailsNamingItsIndex() {
        MemoryException empty = assertThrows(MemoryException.class, () -> embedder.embed(List.of("fine", "")));
        assertEquals("texts[1] must not be empty", empty.getMessage());
        MemoryException blank = assertThrows(MemoryException.class,
                () -> embedder.embed(List.of("fine", "also fine", " \t\n")));
        assertEquals("texts[2] must not be blank, was \" \\t\\n\"", blank.getMessage());
        assertEquals("texts[0] must not be blank, was \"" + " ".repeat(20) + "... (5000 chars)\"",
                assertThrows(MemoryException.class, () -> embedder.embed(" ".repeat(5000))).getMessage());
        List<String> withNull = new ArrayList<>(List.of("fine"));
        withNull.add(null);
        MemoryException missing = assertThrows(MemoryException.class, () -> embedder.embed(withNull));
        assertEquals("texts[1] must not be null", missing.getMessage());
        assertEquals("texts[0] must not be empty",
                assertThrows(MemoryException.class, () -> embedder.embed("")).getMessage());
    }

    @Test
    void textsLongerThanTheModelLimitAreTruncated() {
        String head = "Graft keeps agent memory in a Rust vector index. ".repeat(40);
        float[] a = embedder.embed(head + "The ending talks about cooking pasta with tomatoes.");
        float[] b = embedder.embed(head + "The ending talks about quantum chromodynamics instead.");
        assertArrayEquals(a, b, "only the first 256 word pieces are embedded");
        try (MiniLmEmbedder short8 = MiniLmEmbedder.builder().maxTokens(8).cacheSize(0).build()) {
            assertEquals(8, short8.maxTokens());
            assertArrayEquals(short8.embed("one two three four five six"),
                    short8.embed("one two three four five six seven eight nine"));
        }
    }

    @Test
    void concurrentCallersGetTheSameVectors() throws Exception {
        List<float[]> expected = embedder.embed(SENTENCES);
        try (MiniLmEmbedder fresh = MiniLmEmbedder.builder().cacheSize(0).build(); ExecutorService pool = Executors.newFixedThreadPool(6)) {
            // The fresh instance also checks that concurrent first calls load the model once, safely.
            List<Future<List<float[]>>> futures = new ArrayList<>();
            for (int t = 0; t < 12; t++) {
                int shift = t;
                futures.add(pool.submit(() -> {
                    float[][] out = new float[SENTENCES.size()][];
                    for (int i = 0; i < SENTENCES.size(); i++) {
                        int k = (i + shift) % SENTENCES.size();
                        out[k] = fresh.embed(SENTENCES.get(k));
                    }
                    return Arrays.asList(out);
                }));
            }
            for (Future<List<float[]>> f : futures) {
                List<float[]> got = f.get();
                for (int i = 0; i < SENTENCES.size(); i++) {
                    assertClose(expected.get(i), got.get(i), SENTENCES.get(i));
                }
            }
        }
    }

    @Test
    void theCacheServesRepeatedTextsWithPrivateCopies() {
        try (MiniLmEmbedder cached = MiniLmEmbedder.builder().cacheSize(100).build()) {
            float[] first = cached.embed("The cat sits on the mat");
            float[] second = cached.embed("The cat sits on the mat");
            assertNotSame(first, second);
            assertArrayEquals(first, second);
            Arrays.fill(first, 0f);
            assertArrayEquals(second, cached.embed("The cat sits on the mat"), "callers cannot corrupt the cache");
            assertClose(embedder.embed("The cat sits on the mat"), second, "cached vector");
        }
    }

    @Test
    void aClosedEmbedderRefusesWork() {
        MiniLmEmbedder closed = new MiniLmEmbedder();
        closed.embed("load the model first");
        closed.close();
        closed.close();
        assertEquals("all-minilm-l6-v2 embedder is closed",
                assertThrows(MemoryException.class, () -> closed.embed("too late")).getMessage());
        assertThrows(MemoryException.class, () -> closed.embed("load the model first"), "not even from the cache");
    }

    @Test
    void badOptionsFailAtConstruction() {
        assertEquals("maxTokens must be between 3 and 256, was 512",
                assertThrows(GraftException.class, () -> MiniLmEmbedder.builder().maxTokens(512)).getMessage());
        assertEquals("batchSize must be positive, was 0",
                assertThrows(GraftException.class, () -> MiniLmEmbedder.builder().batchSize(0)).getMessage());
        assertEquals("threads must be positive, was -1",
                assertThrows(GraftException.class, () -> MiniLmEmbedder.builder().threads(-1)).getMessage());
        assertEquals("cacheSize must not be negative, was -5",
                assertThrows(GraftException.class, () -> MiniLmEmbedder.builder().cacheSize(-5)).getMessage());
    }

    @Test
    void servesAsTheEmbedderSpi() {
        Embedder spi = embedder;
        assertEquals(spi.dimension(), spi.embed("through the interface").length);
    }
}
