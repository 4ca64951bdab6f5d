package io.graft.nativecore;

/**
 * The C ABI of the native library, one Java method per export (see docs/memory.md). Handles are
 * the addresses of native collections. Failures throw {@link NativeException} with the library's
 * message. Public only so the benchmarks can measure the bindings; applications use
 * {@link NativeMemoryStore}.
 */
public interface NativeApi {

    /** The results of a batch search: query i's hits are at {@code [i * k, i * k + counts[i])}. */
    record Hits(long[] ids, float[] scores, int[] counts) {}

    static NativeApi of(NativeBinding binding) {
        return binding.api();
    }

    int abiVersion();

    long open(String path, int dimension, int metric, boolean create, long hnswThreshold);

    void close(long handle);

    long count(long handle);

    long[] add(long handle, int n, float[] vectors, byte[] records);

    void update(long handle, long id, float[] vector, byte[] record);

    boolean delete(long handle, long id);

    /** Per id: found flag, text, metadata, vector (see {@link Codec#decodeMemories}). */
    byte[] get(long handle, long[] ids);

    /** Mode: 0 auto, 1 exact, 2 approximate. */
    Hits search(long handle, float[] queries, int nq, int k, byte[] filter, int mode);

    /** Up to {@code limit} ids greater than {@code after} whose metadata matches, ascending. */
    long[] list(long handle, byte[] filter, long after, int limit);

    void snapshot(long handle);

    /** The HNSW search's candidate list size (1 to 10,000; searches use at least 2k). */
    void efSearch(long handle, int efSearch);
}
