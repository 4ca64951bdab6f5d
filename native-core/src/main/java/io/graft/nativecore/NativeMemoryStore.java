package io.graft.nativecore;

import io.graft.core.memory.Embedder;
import io.graft.core.memory.Memory;
import io.graft.core.memory.MemoryChecks;
import io.graft.core.memory.MemoryException;
import io.graft.core.memory.MemoryHit;
import io.graft.core.memory.MemoryQuery;
import io.graft.core.memory.MemoryRecord;
import io.graft.core.memory.MemoryStore;
import io.graft.core.memory.MetadataFilter;
import io.graft.core.memory.Namespace;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * {@link MemoryStore} over the Rust library: one durable native collection per namespace, in
 * {@code root/<tenant>/<agent>/}. Vectors stay in native memory; Java sends queries and records and
 * receives ids, scores and the memories it asks for.
 */
public final class NativeMemoryStore implements MemoryStore {
    /**
     * Collections with at least this many memories also get an HNSW index. Measured on clustered
     * 384-d vectors (IndexThresholdBenchmark): the index is no faster than the exact scan at 2,000
     * memories, 1.5x faster at 5,000, 5.5x at 10,000 and 11x at 20,000; below 10,000 the exact scan
     * takes under a millisecond and its results are exact.
     */
    public static final long DEFAULT_HNSW_THRESHOLD = 10_000;
    /** The HNSW search's default candidate list size (searches use at least 2k). */
    public static final int DEFAULT_EF_SEARCH = 64;

    private final Path root;
    private final Embedder embedder;
    private final VectorMetric metric;
    private final NativeApi api;
    private final NativeBinding binding;
    private final long hnswThreshold;
    private final int efSearch;
    private final Map<Namespace, Long> handles = new ConcurrentHashMap<>();
    // Operations hold the read lock so close() cannot free a collection under a running call.
    private final ReentrantReadWriteLock lifecycle = new ReentrantReadWriteLock();
    private boolean closed;

    private NativeMemoryStore(Builder b) {
        this.root = b.root.toAbsolutePath();
        this.embedder = b.embedder;
        this.metric = b.metric;
        this.binding = b.binding;
        this.api = NativeApi.of(b.binding);
        this.hnswThreshold = b.hnswThreshold;
        this.efSearch = b.efSearch;
        try {
            Files.createDirectories(root);
        } catch (IOException e) {
            throw new MemoryException("cannot create the memory directory " + root + ": " + e.getMessage(), e);
        }
    }

    public static Builder builder(Path root, Embedder embedder) {
        return new Builder(root, embedder);
    }

    /** Options of a store; {@link #open()} creates it. */
    public static final class Builder {
        private final Path root;
        private final Embedder embedder;
        private VectorMetric metric = VectorMetric.COSINE;
        private NativeBinding binding = NativeBinding.select();
        private long hnswThreshold = DEFAULT_HNSW_THRESHOLD;
        private int efSearch = DEFAULT_EF_SEARCH;

        private Builder(Path root, Embedder embedder) {
            this.root = root;
            this.embedder = embedder;
        }

        public Builder metric(VectorMetric metric) {
            this.metric = metric;
            return this;
        }

        public Builder binding(NativeBinding binding) {
            this.binding = binding;
            return this;
        }

        public Builder hnswThreshold(long hnswThreshold) {
            if (hnswThreshold <= 0) {
                throw new MemoryException("hnswThreshold must be positive, was " + hnswThreshold);
            }
            this.hnswThreshold = hnswThreshold;
            return this;
        }

        /**
         * The HNSW search's candidate list size: higher finds more of the true nearest neighbours
         * and costs proportionally more time. Searches use at least twice k.
         */
        public Builder efSearch(int efSearch) {
            if (efSearch < 1 || efSearch > 10_000) {
                throw new MemoryException("efSearch must be between 1 and 10000, was " + efSearch);
            }
            this.efSearch = efSearch;
            return this;
        }

        public NativeMemoryStore open() {
            return new NativeMemoryStore(this);
        }
    }

    public NativeBinding binding() {
        return binding;
    }

    public VectorMetric metric() {
        return metric;
    }

    @Override
    public Embedder embedder() {
        return embedder;
    }

    private Path dir(Namespace ns) {
        return root.resolve(ns.tenant()).resolve(ns.agent());
    }

    private <T> T locked(Supplier<T> body) {
        lifecycle.readLock().lock();
        try {
            if (closed) {
                throw new MemoryException("the memory store at " + root + " is closed");
            }
            return body.get();
        } finally {
            lifecycle.readLock().unlock();
        }
    }

    /** The native handle of an existing namespace, opening its collection on first use. */
    private long handle(Namespace ns) {
        Long h = handles.get(ns);
        if (h != null) {
            return h;
        }
        return handles.computeIfAbsent(ns, n -> {
            if (!Files.isRegularFile(dir(n).resolve("snapshot.bin"))) {
                throw new MemoryException("unknown namespace " + n + "; create it with createNamespace first");
            }
            return openCollection(n, false);
        });
    }

    private long openCollection(Namespace ns, boolean create) {
        long h = api.open(dir(ns).toString(), embedder.dimension(), metric.code(), create, hnswThreshold);
        api.efSearch(h, efSearch);
        return h;
    }

    @Override
    public boolean createNamespace(Namespace namespace) {
        return locked(() -> {
            boolean[] created = {false};
            handles.computeIfAbsent(namespace, n -> {
                created[0] = !Files.isRegularFile(dir(n).resolve("snapshot.bin"));
                return openCollection(n, true);
            });
            return created[0];
        });
    }

    @Override
    public Set<Namespace> namespaces() {
        return locked(() -> {
            Set<Namespace> out = new HashSet<>(handles.keySet());
            try (Stream<Path> snapshots = Files.find(root, 3, (p, a) -> p.getFileName().toString().equals("snapshot.bin"))) {
                snapshots.forEach(p -> {
                    Path rel = root.relativize(p);
                    if (rel.getNameCount() == 3) {
                        out.add(new Namespace(rel.getName(0).toString(), rel.getName(1).toString()));
                    }
                });
            } catch (IOException e) {
                throw new MemoryException("cannot list " + root + ": " + e.getMessage(), e);
            }
            return Set.copyOf(out);
        });
    }

    /** Every record's vector: given ones checked, missing ones embedded in one batch. */
    private float[] vectors(List<MemoryRecord> records) {
        int dim = embedder.dimension();
        List<String> toEmbed = new ArrayList<>();
        for (MemoryRecord r : records) {
            if (r.vector().isEmpty()) {
                toEmbed.add(r.text());
            }
        }
        List<float[]> embedded = toEmbed.isEmpty() ? List.of() : embedder.embed(toEmbed);
        if (embedded.size() != toEmbed.size()) {
            throw new MemoryException("embedder " + embedder.name() + " returned " + embedded.size() + " vectors for "
                    + toEmbed.size() + " texts");
        }
        float[] out = new float[records.size() * dim];
        int next = 0;
        for (int i = 0; i < records.size(); i++) {
            Optional<float[]> given = records.get(i).vector();
            float[] v = given.isPresent()
                    ? MemoryChecks.requireVector(given.get(), dim, "vector of record " + i)
                    : MemoryChecks.requireVector(embedded.get(next++), dim, "embedding of record " + i);
            checkNonZero(v, "vector of record " + i);
            System.arraycopy(v, 0, out, i * dim, dim);
        }
        return out;
    }

    private void checkNonZero(float[] v, String what) {
        if (metric == VectorMetric.COSINE) {
            for (float x : v) {
                if (x != 0f) {
                    return;
                }
            }
            throw new MemoryException(what + " is all zeros, which has no direction for cosine similarity");
        }
    }

    @Override
    public List<String> addAll(Namespace namespace, List<MemoryRecord> records) {
        return locked(() -> {
            long h = handle(namespace);
            if (records.isEmpty()) {
                return List.of();
            }
            float[] vectors = vectors(records);
            byte[] encoded = Codec.records(records.stream().map(MemoryRecord::text).toList(),
                    records.stream().map(MemoryRecord::metadata).toList());
            long[] ids = api.add(h, records.size(), vectors, encoded);
            List<String> out = new ArrayList<>(ids.length);
            for (long id : ids) {
                out.add(Long.toUnsignedString(id));
            }
            return List.copyOf(out);
        });
    }

    @Override
    public List<MemoryHit> search(Namespace namespace, MemoryQuery query, int k, MetadataFilter filter) {
        MemoryChecks.requireK(k);
        return locked(() -> {
            long h = handle(namespace);
            float[] q = switch (query) {
                case MemoryQuery.Text t -> MemoryChecks.requireVector(embedder.embed(t.text()), embedder.dimension(),
                        "embedding of the query");
                case MemoryQuery.Vector v -> MemoryChecks.requireVector(v.vector(), embedder.dimension(), "query vector");
            };
            checkNonZero(q, "query vector");
            NativeApi.Hits hits = api.search(h, q, 1, k, Codec.filter(filter), 0);
            int n = hits.counts()[0];
            long[] ids = java.util.Arrays.copyOf(hits.ids(), n);
            List<Optional<Codec.Fetched>> fetched = Codec.memories(api.get(h, ids), n, embedder.dimension());
            List<MemoryHit> out = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                int at = i;
                // A memory deleted between the search and the fetch is simply not returned.
                fetched.get(i).ifPresent(f -> out.add(new MemoryHit(memory(ids[at], f), hits.scores()[at])));
            }
            return List.copyOf(out);
        });
    }

    @Override
    public List<Memory> list(Namespace namespace, MetadataFilter filter, int limit, Optional<String> after) {
        MemoryChecks.requireLimit(limit);
        long from = after.map(id -> parseId(id).orElseThrow(() -> new MemoryException(
                "after must be the id of a memory of " + namespace + ", was '" + id + "'"))).orElse(0L);
        return locked(() -> {
            long h = handle(namespace);
            long[] ids = api.list(h, Codec.filter(filter), from, limit);
            List<Optional<Codec.Fetched>> fetched = Codec.memories(api.get(h, ids), ids.length, embedder.dimension());
            List<Memory> out = new ArrayList<>(ids.length);
            for (int i = 0; i < ids.length; i++) {
                int at = i;
                fetched.get(i).ifPresent(f -> out.add(memory(ids[at], f)));
            }
            return List.copyOf(out);
        });
    }

    private static Memory memory(long id, Codec.Fetched f) {
        return new Memory(Long.toUnsignedString(id), f.text(), f.vector(), f.metadata());
    }

    private static Optional<Long> parseId(String id) {
        try {
            return Optional.of(Long.parseUnsignedLong(id));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    @Override
    public Optional<Memory> get(Namespace namespace, String id) {
        return locked(() -> {
            long h = handle(namespace);
            return parseId(id).flatMap(n -> Codec.memories(api.get(h, new long[] {n}), 1, embedder.dimension())
                    .getFirst().map(f -> memory(n, f)));
        });
    }

    @Override
    public void update(Namespace namespace, String id, MemoryRecord record) {
        locked(() -> {
            long h = handle(namespace);
            long n = parseId(id).orElseThrow(() -> new MemoryException("no memory with id '" + id + "' in namespace " + namespace));
            float[] vector = vectors(List.of(record));
            try {
                api.update(h, n, vector, Codec.records(List.of(record.text()), List.of(record.metadata())));
            } catch (NativeException e) {
                if (e.status() == NativeException.NOT_FOUND) {
                    throw new MemoryException("no memory with id '" + id + "' in namespace " + namespace, e);
                }
                throw e;
            }
            return null;
        });
    }

    @Override
    public boolean delete(Namespace namespace, String id) {
        return locked(() -> {
            long h = handle(namespace);
            return parseId(id).map(n -> api.delete(h, n)).orElse(false);
        });
    }

    @Override
    public long count(Namespace namespace) {
        return locked(() -> api.count(handle(namespace)));
    }

    /** Writes a snapshot of the namespace's collection and empties its log. */
    public void snapshot(Namespace namespace) {
        locked(() -> {
            api.snapshot(handle(namespace));
            return null;
        });
    }

    @Override
    public void close() {
        lifecycle.writeLock().lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            handles.values().forEach(api::close);
            handles.clear();
        } finally {
            lifecycle.writeLock().unlock();
        }
    }
}
