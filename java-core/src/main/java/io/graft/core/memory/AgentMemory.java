package io.graft.core.memory;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One namespace of a {@link MemoryStore}, as a run sees it: every operation of the store without
 * the namespace argument. The namespace's collection is created on first use, so an agent's first
 * run finds an empty memory rather than an "unknown namespace" error.
 */
public final class AgentMemory {
    private final MemoryStore store;
    private final Namespace namespace;
    private volatile boolean created;

    public AgentMemory(MemoryStore store, Namespace namespace) {
        this.store = store;
        this.namespace = namespace;
    }

    public Namespace namespace() {
        return namespace;
    }

    /** The store's embedder, for callers that embed texts themselves (a LangChain {@code Embeddings}). */
    public Embedder embedder() {
        return store.embedder();
    }

    public String add(String text, Map<String, String> metadata) {
        return store.add(collection(), MemoryRecord.of(text, metadata));
    }

    public List<String> addAll(List<MemoryRecord> records) {
        return store.addAll(collection(), records);
    }

    public List<MemoryHit> search(MemoryQuery query, int k, MetadataFilter filter) {
        return store.search(collection(), query, k, filter);
    }

    public List<MemoryHit> search(String query, int k) {
        return search(MemoryQuery.text(query), k, MetadataFilter.all());
    }

    public Optional<Memory> get(String id) {
        return store.get(collection(), id);
    }

    public List<Memory> list(MetadataFilter filter, int limit, Optional<String> after) {
        return store.list(collection(), filter, limit, after);
    }

    public void update(String id, MemoryRecord record) {
        store.update(collection(), id, record);
    }

    public boolean delete(String id) {
        return store.delete(collection(), id);
    }

    public long count() {
        return store.count(collection());
    }

    private Namespace collection() {
        if (!created) {
            store.createNamespace(namespace);
            created = true;
        }
        return namespace;
    }
}
