package io.graft.core.memory;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Durable, namespaced agent memory: texts with vectors and metadata, searched by meaning.
 *
 * <p>Each {@link Namespace} is its own collection and must be created before use; operations on
 * any other namespace fail with "unknown namespace". Texts stored or queried without a vector are
 * embedded with {@link #embedder()}. Invalid input (see {@link MemoryChecks}) fails with a
 * {@link MemoryException} naming the value, before anything stored is touched. A write that
 * returns is durable. Implementations are thread-safe.
 */
public interface MemoryStore extends AutoCloseable {

    /** Embeds texts for {@link #add} and text queries; its dimension is the store's. */
    Embedder embedder();

    /** Creates the namespace's collection; returns false if it already existed. */
    boolean createNamespace(Namespace namespace);

    Set<Namespace> namespaces();

    /** Stores one memory and returns its id. */
    default String add(Namespace namespace, MemoryRecord record) {
        return addAll(namespace, List.of(record)).getFirst();
    }

    /** Stores all memories or none; returns their ids in order. Texts without vectors are embedded in one batch. */
    List<String> addAll(Namespace namespace, List<MemoryRecord> records);

    /** The k best matches, best first, among memories whose metadata matches the filter. */
    List<MemoryHit> search(Namespace namespace, MemoryQuery query, int k, MetadataFilter filter);

    default List<MemoryHit> search(Namespace namespace, MemoryQuery query, int k) {
        return search(namespace, query, k, MetadataFilter.all());
    }

    /** Shorthand for a text query. */
    default List<MemoryHit> search(Namespace namespace, String query, int k) {
        return search(namespace, MemoryQuery.text(query), k, MetadataFilter.all());
    }

    Optional<Memory> get(Namespace namespace, String id);

    /**
     * Memories whose metadata matches, without a query, in the order they were added: at most
     * {@code limit} (1 to {@value MemoryChecks#MAX_LIST}), after the memory with id {@code after}
     * (empty: from the first). The last id of a page, even if that memory has since been deleted,
     * asks for the next page.
     */
    List<Memory> list(Namespace namespace, MetadataFilter filter, int limit, Optional<String> after);

    /** Replaces a memory's text, vector and metadata; throws {@link MemoryException} if there is no such id. */
    void update(Namespace namespace, String id, MemoryRecord record);

    /** Removes a memory; returns false if there was no such id. */
    boolean delete(Namespace namespace, String id);

    long count(Namespace namespace);

    /** Releases native resources; later calls fail. */
    @Override
    void close();
}
