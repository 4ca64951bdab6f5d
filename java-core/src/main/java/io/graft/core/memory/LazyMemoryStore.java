package io.graft.core.memory;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * A store opened on its first use. Opening the default store loads a native library and an
 * embedding model (about a second); a runtime whose agents never remember should not pay that at
 * start. Closing closes the opened store and, if it can be closed, its embedder.
 */
public final class LazyMemoryStore implements MemoryStore {
    private final String description;
    private final Supplier<MemoryStore> opener;
    private volatile @Nullable MemoryStore store;
    private boolean closed;

    /** @param description what will be opened, for errors (e.g. "the native memory store at data/memory") */
    public LazyMemoryStore(String description, Supplier<MemoryStore> opener) {
        this.description = description;
        this.opener = opener;
    }

    /** Whether the store has been opened. */
    public synchronized boolean isOpen() {
        return store != null;
    }

    private MemoryStore store() {
        MemoryStore open = store;
        return open != null ? open : open();
    }

    private synchronized MemoryStore open() {
        if (closed) {
            throw new MemoryException(description + " is closed");
        }
        if (store == null) {
            try {
                store = opener.get();
            } catch (RuntimeException e) {
                throw new MemoryException("cannot open " + description + ": " + e.getMessage(), e);
            }
        }
        return store;
    }

    @Override
    public Embedder embedder() {
        return store().embedder();
    }

    @Override
    public boolean createNamespace(Namespace namespace) {
        return store().createNamespace(namespace);
    }

    @Override
    public Set<Namespace> namespaces() {
        return store().namespaces();
    }

    @Override
    public List<String> addAll(Namespace namespace, List<MemoryRecord> records) {
        return store().addAll(namespace, records);
    }

    @Override
    public List<MemoryHit> search(Namespace namespace, MemoryQuery query, int k, MetadataFilter filter) {
        return store().search(namespace, query, k, filter);
    }

    @Override
    public Optional<Memory> get(Namespace namespace, String id) {
        return store().get(namespace, id);
    }

    @Override
    public List<Memory> list(Namespace namespace, MetadataFilter filter, int limit, Optional<String> after) {
        return store().list(namespace, filter, limit, after);
    }

    @Override
    public void update(Namespace namespace, String id, MemoryRecord record) {
        store().update(namespace, id, record);
    }

    @Override
    public boolean delete(Namespace namespace, String id) {
        return store().delete(namespace, id);
    }

    @Override
    public long count(Namespace namespace) {
        return store().count(namespace);
    }

    @Override
    public synchronized void close() {
        closed = true;
        MemoryStore open = store;
        store = null;
        if (open != null) {
            Embedder embedder = open.embedder();
            open.close();
            if (embedder instanceof AutoCloseable c) {
                try {
                    c.close();
                } catch (Exception e) {
                    throw new MemoryException("cannot close the embedder " + embedder.name() + ": " + e.getMessage(), e);
                }
            }
        }
    }
}
