package io.graft.nativecore;

import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.nio.charset.StandardCharsets;

/**
 * The C ABI through JNA direct mapping (the fastest JNA mode: no per-call reflection). Arrays
 * are copied in and out by JNA; handles and {@code size_t} travel as {@code long}.
 */
final class JnaApi implements NativeApi {
    static final JnaApi INSTANCE = new JnaApi();

    static {
        Native.register(JnaApi.class, com.sun.jna.NativeLibrary.getInstance(NativeLibrary.path().toString()));
    }

    private static native int graft_abi_version(int[] out);

    private static native int graft_last_error(byte[] buf, long cap, long[] outLen);

    private static native int graft_open(byte[] path, long pathLen, int dim, int metric, int flags, long hnswThreshold, long[] out);

    private static native int graft_close(long handle);

    private static native long graft_count(long handle);

    private static native int graft_add(long handle, long n, float[] vectors, byte[] records, long recordsLen, long[] outIds);

    private static native int graft_update(long handle, long id, float[] vector, byte[] record, long recordLen);

    private static native int graft_delete(long handle, long id, int[] outDeleted);

    private static native int graft_get(long handle, long[] ids, long n, long[] outBuf, long[] outLen);

    private static native int graft_free(long buf, long len);

    private static native int graft_search(long handle, float[] queries, long nq, int k, byte[] filter, long filterLen, int mode,
            long[] outIds, float[] outScores, int[] outCounts);

    private static native int graft_list(long handle, byte[] filter, long filterLen, long after, int limit, long[] outIds,
            int[] outCount);

    private static native int graft_snapshot(long handle);

    private static native int graft_set_ef_search(long handle, int efSearch);

    private JnaApi() {}

    private static void check(int status) {
        if (status != 0) {
            throw new NativeException(status, lastError());
        }
    }

    private static String lastError() {
        byte[] buf = new byte[4096];
        long[] len = new long[1];
        if (graft_last_error(buf, buf.length, len) != 0) {
            return "native call failed and its message could not be read";
        }
        return new String(buf, 0, (int) Math.min(len[0], buf.length), StandardCharsets.UTF_8);
    }

    @Override
    public int abiVersion() {
        int[] out = new int[1];
        check(graft_abi_version(out));
        return out[0];
    }

    @Override
    public long open(String path, int dimension, int metric, boolean create, long hnswThreshold) {
        byte[] p = path.getBytes(StandardCharsets.UTF_8);
        long[] out = new long[1];
        check(graft_open(p, p.length, dimension, metric, create ? 1 : 0, hnswThreshold, out));
        return out[0];
    }

    @Override
    public void close(long handle) {
        check(graft_close(handle));
    }

    @Override
    public long count(long handle) {
        long n = graft_count(handle);
        if (n < 0) {
            throw new NativeException((int) -n, lastError());
        }
        return n;
    }

    @Override
    public long[] add(long handle, int n, float[] vectors, byte[] records) {
        long[] ids = new long[Math.max(n, 1)];
        check(graft_add(handle, n, vectors, records, records.length, ids));
        return n == ids.length ? ids : new long[0];
    }

    @Override
    public void update(long handle, long id, float[] vector, byte[] record) {
        check(graft_update(handle, id, vector, record, record.length));
    }

    @Override
    public boolean delete(long handle, long id) {
        int[] out = new int[1];
        check(graft_delete(handle, id, out));
        return out[0] != 0;
    }

    @Override
    public byte[] get(long handle, long[] ids) {
        long[] buf = new long[1];
        long[] len = new long[1];
        check(graft_get(handle, ids, ids.length, buf, len));
        try {
            return new Pointer(buf[0]).getByteArray(0, (int) len[0]);
        } finally {
            check(graft_free(buf[0], len[0])); // Rust allocated it, Rust frees it
        }
    }

    @Override
    public Hits search(long handle, float[] queries, int nq, int k, byte[] filter, int mode) {
        long[] ids = new long[nq * k];
        float[] scores = new float[nq * k];
        int[] counts = new int[nq];
        check(graft_search(handle, queries, nq, k, filter, filter.length, mode, ids, scores, counts));
        return new Hits(ids, scores, counts);
    }

    @Override
    public long[] list(long handle, byte[] filter, long after, int limit) {
        long[] ids = new long[limit];
        int[] count = new int[1];
        check(graft_list(handle, filter, filter.length, after, limit, ids, count));
        return java.util.Arrays.copyOf(ids, count[0]);
    }

    @Override
    public void snapshot(long handle) {
        check(graft_snapshot(handle));
    }

    @Override
    public void efSearch(long handle, int efSearch) {
        check(graft_set_ef_search(handle, efSearch));
    }
}
