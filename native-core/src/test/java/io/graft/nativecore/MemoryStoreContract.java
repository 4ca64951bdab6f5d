package io.graft.nativecore;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.graft.core.memory.Embedder;
import io.graft.core.memory.Memory;
import io.graft.core.memory.MemoryException;
import io.graft.core.memory.MemoryHit;
import io.graft.core.memory.MemoryQuery;
import io.graft.core.memory.MemoryRecord;
import io.graft.core.memory.MemoryStore;
import io.graft.core.memory.MetadataFilter;
import io.graft.core.memory.Namespace;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The behaviour every {@link MemoryStore} promises; each implementation (binding) extends it. */
abstract class MemoryStoreContract {
    static final int DIM = 64;
    static final Namespace NS = new Namespace("acme", "support");

    @TempDir
    Path dir;

    MemoryStore store;

    /** A store over {@code dir} with the given embedder; reopening the same dir must see the same data. */
    abstract MemoryStore open(Path dir, Embedder embedder);

    @BeforeEach
    void setUp() {
        store = open(dir, new HashingTestEmbedder(DIM));
        store.createNamespace(NS);
    }

    @AfterEach
    void tearDown() {
        store.close();
    }

    private static float[] unit(int axis) {
        float[] v = new float[DIM];
        v[axis] = 1f;
        return v;
    }

    @Test
    void aTextSearchFindsTheMemoryThatSharesItsWords() {
        store.add(NS, MemoryRecord.of("the invoice for march was paid late"));
        String id = store.add(NS, MemoryRecord.of("the customer prefers email over phone calls"));
        store.add(NS, MemoryRecord.of("shipping to norway takes five days"));

        List<MemoryHit> hits = store.search(NS, "how does the customer like to be contacted, email or phone", 2);

        assertEquals(2, hits.size());
        assertEquals(id, hits.getFirst().memory().id());
        assertTrue(hits.get(0).score() >= hits.get(1).score());
    }

    @Test
    void getReturnsTextMetadataAndTheStoredVector() {
        String id = store.add(NS, MemoryRecord.of("likes tea", unit(3), Map.of("kind", "preference")));

        var memory = store.get(NS, id).orElseThrow();

        assertEquals("likes tea", memory.text());
        assertEquals(Map.of("kind", "preference"), memory.metadata());
        assertArrayEquals(unit(3), memory.vector());
        assertTrue(store.get(NS, "999999").isEmpty());
        assertTrue(store.get(NS, "not-an-id").isEmpty());
    }

    @Test
    void aMetadataFilterKeepsKHitsAmongMatchingMemoriesOnly() {
        List<MemoryRecord> records = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            records.add(MemoryRecord.of("note " + i, unit(i % DIM), Map.of("kind", i % 4 == 0 ? "fact" : "chat")));
        }
        store.addAll(NS, records);

        List<MemoryHit> hits = store.search(NS, MemoryQuery.vector(unit(1)), 5, MetadataFilter.eq("kind", "fact"));

        assertEquals(5, hits.size());
        assertTrue(hits.stream().allMatch(h -> h.memory().metadata().get("kind").equals("fact")));
        List<MemoryHit> none = store.search(NS, MemoryQuery.vector(unit(1)), 5,
                MetadataFilter.fromMap(Map.of("kind", Map.of("$in", List.of("other")))));
        assertTrue(none.isEmpty());
    }

    @Test
    void listPagesThroughMatchingMemoriesInTheOrderTheyWereAdded() {
        List<String> ids = store.addAll(NS, java.util.stream.IntStream.range(0, 7)
                .mapToObj(i -> MemoryRecord.of("note " + i, unit(i), Map.of("kind", i % 2 == 0 ? "even" : "odd"))).toList());
        store.delete(NS, ids.get(2));

        List<Memory> first = store.list(NS, MetadataFilter.eq("kind", "even"), 2, Optional.empty());
        assertEquals(List.of("note 0", "note 4"), first.stream().map(Memory::text).toList());
        List<Memory> next = store.list(NS, MetadataFilter.eq("kind", "even"), 2, Optional.of(first.getLast().id()));
        assertEquals(List.of("note 6"), next.stream().map(Memory::text).toList());
        assertEquals(List.of(), store.list(NS, MetadataFilter.all(), 5, Optional.of(ids.getLast())));
        assertEquals(6, store.list(NS, MetadataFilter.all(), 100, Optional.empty()).size());
        assertMessage("limit must be positive, was 0", () -> store.list(NS, MetadataFilter.all(), 0, Optional.empty()));
        assertMessage("after must be the id of a memory of acme/support, was 'x'",
                () -> store.list(NS, MetadataFilter.all(), 1, Optional.of("x")));
    }

    @Test
    void updateReplacesTextVectorAndMetadata() {
        String id = store.add(NS, MemoryRecord.of("old", unit(1), Map.of("v", "1")));

        store.update(NS, id, MemoryRecord.of("new", unit(2), Map.of("v", "2")));

        var memory = store.get(NS, id).orElseThrow();
        assertEquals("new", memory.text());
        assertEquals("2", memory.metadata().get("v"));
        assertEquals(id, store.search(NS, MemoryQuery.vector(unit(2)), 1).getFirst().memory().id());
        assertEquals(1, store.count(NS));
        var e = assertThrows(MemoryException.class, () -> store.update(NS, "424242", MemoryRecord.of("x", unit(1), Map.of())));
        assertEquals("no memory with id '424242' in namespace acme/support", e.getMessage());
    }

    @Test
    void deleteRemovesTheMemoryFromGetSearchAndCount() {
        String a = store.add(NS, MemoryRecord.of("a", unit(1), Map.of()));
        String b = store.add(NS, MemoryRecord.of("b", unit(2), Map.of()));

        assertTrue(store.delete(NS, a));
        assertFalse(store.delete(NS, a));

        assertEquals(1, store.count(NS));
        assertTrue(store.get(NS, a).isEmpty());
        assertEquals(List.of(b), store.search(NS, MemoryQuery.vector(unit(1)), 10).stream().map(h -> h.memory().id()).toList());
    }

    @Test
    void everyWriteIsThereAfterTheStoreIsReopened() {
        String kept = store.add(NS, MemoryRecord.of("kept", unit(5), Map.of("k", "v")));
        String gone = store.add(NS, MemoryRecord.of("gone", unit(6), Map.of()));
        store.delete(NS, gone);
        store.close();

        store = open(dir, new HashingTestEmbedder(DIM));

        assertEquals(Set.of(NS), store.namespaces());
        assertEquals(1, store.count(NS));
        assertEquals("kept", store.get(NS, kept).orElseThrow().text());
    }

    @Test
    void namespacesAreSeparateCollections() {
        Namespace other = new Namespace("acme", "billing");
        assertTrue(store.createNamespace(other));
        assertFalse(store.createNamespace(other));
        store.add(NS, MemoryRecord.of("support memory", unit(1), Map.of()));

        assertEquals(0, store.count(other));
        assertEquals(1, store.count(NS));
        assertEquals(Set.of(NS, other), store.namespaces());
    }

    @Test
    void anUnknownNamespaceIsRejectedByName() {
        var e = assertThrows(MemoryException.class, () -> store.count(new Namespace("acme", "nobody")));
        assertEquals("unknown namespace acme/nobody; create it with createNamespace first", e.getMessage());
    }

    @Test
    void badInputIsRejectedWithExactMessagesAndNothingIsStored() {
        store.add(NS, MemoryRecord.of("existing", unit(1), Map.of()));
        float[] nan = unit(2);
        nan[7] = Float.NaN;
        float[] inf = unit(2);
        inf[3] = Float.POSITIVE_INFINITY;

        assertMessage("vector of record 1 must have dimension 64, was 3",
                () -> store.addAll(NS, List.of(MemoryRecord.of("ok", unit(2), Map.of()), MemoryRecord.of("short", new float[3], Map.of()))));
        assertMessage("vector of record 0 component 7 must be finite, was NaN", () -> store.add(NS, MemoryRecord.of("nan", nan, Map.of())));
        assertMessage("vector of record 0 component 3 must be finite, was Infinity", () -> store.add(NS, MemoryRecord.of("inf", inf, Map.of())));
        assertMessage("text must not be empty", () -> store.add(NS, MemoryRecord.of("  ")));
        assertMessage("k must be positive, was 0", () -> store.search(NS, "x", 0));
        assertMessage("k must be at most 1000, was 100000", () -> store.search(NS, "x", 100_000));
        assertMessage("query vector must have dimension 64, was 2", () -> store.search(NS, MemoryQuery.vector(new float[2]), 1));
        assertMessage("unknown filter operator '$regex' on 'kind'",
                () -> store.search(NS, MemoryQuery.vector(unit(1)), 1, MetadataFilter.fromMap(Map.of("kind", Map.of("$regex", "a.*")))));
        assertMessage("filter value for 'kind' must be a string, number, boolean or one {$op: value}, was [3] (List12)",
                () -> MetadataFilter.fromMap(Map.of("kind", List.of(3))));
        assertMessage("filter 'and' needs at least one operand", () -> MetadataFilter.and());

        assertEquals(1, store.count(NS));
        assertEquals("existing", store.search(NS, MemoryQuery.vector(unit(1)), 10).getFirst().memory().text());
    }

    @Test
    void aBatchIsStoredWhole() {
        List<String> ids = store.addAll(NS, List.of(MemoryRecord.of("one"), MemoryRecord.of("two"), MemoryRecord.of("three")));

        assertEquals(3, Set.copyOf(ids).size());
        assertEquals(3, store.count(NS));
        assertEquals("two", store.get(NS, ids.get(1)).orElseThrow().text());
    }

    @Test
    void theHnswIndexAnswersLikeTheExactScanOnALargerCollection() {
        store.close();
        Path big = dir.resolve("big");
        store = NativeMemoryStore.builder(big, new HashingTestEmbedder(DIM)).binding(binding()).hnswThreshold(500).efSearch(40).open();
        store.createNamespace(NS);
        java.util.Random random = new java.util.Random(7);
        List<MemoryRecord> records = new ArrayList<>();
        float[][] vectors = new float[2000][];
        for (int i = 0; i < vectors.length; i++) {
            vectors[i] = new float[DIM];
            for (int j = 0; j < DIM; j++) {
                vectors[i][j] = (float) random.nextGaussian();
            }
            records.add(MemoryRecord.of("item " + i, vectors[i], Map.of()));
        }
        List<String> ids = store.addAll(NS, records);

        int found = 0;
        for (int q = 0; q < 50; q++) {
            List<MemoryHit> hits = store.search(NS, MemoryQuery.vector(vectors[q * 7]), 1);
            found += hits.getFirst().memory().id().equals(ids.get(q * 7)) ? 1 : 0;
        }
        assertTrue(found >= 48, "the index found " + found + " of 50 stored vectors as their own nearest neighbour");
    }

    @Test
    void anEfSearchOutsideItsRangeIsRejectedByValue() {
        var builder = NativeMemoryStore.builder(dir, new HashingTestEmbedder(DIM));

        assertMessage("efSearch must be between 1 and 10000, was 0", () -> builder.efSearch(0));
        assertMessage("efSearch must be between 1 and 10000, was 10001", () -> builder.efSearch(10_001));
    }

    @Test
    void concurrentSearchesAndWritesAllSucceed() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int thread = t;
                futures.add(pool.submit(() -> {
                    for (int i = 0; i < 25; i++) {
                        store.add(NS, MemoryRecord.of("t" + thread + " i" + i, unit((thread * 25 + i) % DIM), Map.of()));
                        assertFalse(store.search(NS, MemoryQuery.vector(unit(i % DIM)), 3).isEmpty());
                    }
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
        assertEquals(100, store.count(NS));
    }

    @Test
    void aDamagedLogIsReportedNamingTheFile() throws Exception {
        store.add(NS, MemoryRecord.of("first", unit(1), Map.of()));
        store.add(NS, MemoryRecord.of("second", unit(2), Map.of()));
        store.close();
        Path wal = dir.resolve("acme/support/wal.log");
        byte[] bytes = Files.readAllBytes(wal);
        bytes[bytes.length - 10] ^= 0x5a;
        Files.write(wal, bytes);

        store = open(dir, new HashingTestEmbedder(DIM));

        var e = assertThrows(MemoryException.class, () -> store.count(NS));
        assertTrue(e.getMessage().contains(wal.toString()) && e.getMessage().contains("checksum mismatch"), e.getMessage());
    }

    abstract NativeBinding binding();

    private static void assertMessage(String expected, org.junit.jupiter.api.function.Executable call) {
        assertEquals(expected, assertThrows(MemoryException.class, call).getMessage());
    }
}
