package io.graft.nativecore;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;

/**
 * The C ABI through java.lang.foreign. Method handles are static finals built once, so the JIT
 * inlines the downcalls; every call's buffers live in a confined arena freed when it returns.
 * Handles and {@code size_t} travel as {@code long} (pointer-sized on the 64-bit targets we ship).
 */
final class FfmApi implements NativeApi {
    static final FfmApi INSTANCE = new FfmApi();

    private static final Linker LINKER = Linker.nativeLinker();
    private static final SymbolLookup LIB = SymbolLookup.libraryLookup(NativeLibrary.path(), Arena.global());

    private static MethodHandle handle(String name, FunctionDescriptor fd, Linker.Option... options) {
        return LINKER.downcallHandle(LIB.findOrThrow(name), fd, options);
    }

    private static final MethodHandle ABI_VERSION = handle("graft_abi_version", FunctionDescriptor.of(JAVA_INT, ADDRESS));
    private static final MethodHandle LAST_ERROR = handle("graft_last_error", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, ADDRESS));
    private static final MethodHandle OPEN = handle("graft_open",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG, ADDRESS));
    private static final MethodHandle CLOSE = handle("graft_close", FunctionDescriptor.of(JAVA_INT, JAVA_LONG));
    // A read of one counter under a read lock: short enough to skip the thread-state transition.
    private static final MethodHandle COUNT = handle("graft_count", FunctionDescriptor.of(JAVA_LONG, JAVA_LONG),
            Linker.Option.critical(false));
    private static final MethodHandle ADD = handle("graft_add",
            FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_LONG, ADDRESS, ADDRESS, JAVA_LONG, ADDRESS));
    private static final MethodHandle UPDATE = handle("graft_update",
            FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_LONG, ADDRESS, ADDRESS, JAVA_LONG));
    private static final MethodHandle DELETE = handle("graft_delete", FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_LONG, ADDRESS));
    private static final MethodHandle GET = handle("graft_get",
            FunctionDescriptor.of(JAVA_INT, JAVA_LONG, ADDRESS, JAVA_LONG, ADDRESS, ADDRESS));
    private static final MethodHandle FREE = handle("graft_free", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG));
    private static final MethodHandle SEARCH = handle("graft_search", FunctionDescriptor.of(JAVA_INT,
            JAVA_LONG, ADDRESS, JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT, ADDRESS, ADDRESS, ADDRESS));
    private static final MethodHandle LIST = handle("graft_list",
            FunctionDescriptor.of(JAVA_INT, JAVA_LONG, ADDRESS, JAVA_LONG, JAVA_LONG, JAVA_INT, ADDRESS, ADDRESS));
    private static final MethodHandle SNAPSHOT = handle("graft_snapshot", FunctionDescriptor.of(JAVA_INT, JAVA_LONG));
    private static final MethodHandle SET_EF_SEARCH = handle("graft_set_ef_search", FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_INT));

    private FfmApi() {}

    private static void check(int status) {
        if (status != 0) {
            throw new NativeException(status, lastError());
        }
    }

    private static String lastError() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buf = arena.allocate(4096);
            MemorySegment len = arena.allocate(JAVA_LONG);
            int status = (int) LAST_ERROR.invokeExact(buf, buf.byteSize(), len);
            if (status != 0) {
                return "native call failed and its message could not be read";
            }
            long n = Math.min(len.get(JAVA_LONG, 0), buf.byteSize());
            return new String(buf.asSlice(0, n).toArray(JAVA_BYTE), StandardCharsets.UTF_8);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    private static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) {
            return r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        return new NativeException(NativeException.PANIC, "downcall failed: " + t);
    }

    private static MemorySegment bytes(Arena arena, byte[] b) {
        return b.length == 0 ? MemorySegment.NULL : arena.allocateFrom(JAVA_BYTE, b);
    }

    @Override
    public int abiVersion() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(JAVA_INT);
            check((int) ABI_VERSION.invokeExact(out));
            return out.get(JAVA_INT, 0);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public long open(String path, int dimension, int metric, boolean create, long hnswThreshold) {
        try (Arena arena = Arena.ofConfined()) {
            byte[] p = path.getBytes(StandardCharsets.UTF_8);
            MemorySegment out = arena.allocate(JAVA_LONG);
            check((int) OPEN.invokeExact(bytes(arena, p), (long) p.length, dimension, metric, create ? 1 : 0, hnswThreshold, out));
            return out.get(JAVA_LONG, 0);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public void close(long handle) {
        try {
            check((int) CLOSE.invokeExact(handle));
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public long count(long handle) {
        try {
            long n = (long) COUNT.invokeExact(handle);
            if (n < 0) {
                throw new NativeException((int) -n, lastError());
            }
            return n;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public long[] add(long handle, int n, float[] vectors, byte[] records) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment ids = arena.allocate(JAVA_LONG, Math.max(n, 1));
            check((int) ADD.invokeExact(handle, (long) n, arena.allocateFrom(JAVA_FLOAT, vectors), bytes(arena, records),
                    (long) records.length, ids));
            return ids.asSlice(0, 8L * n).toArray(JAVA_LONG);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public void update(long handle, long id, float[] vector, byte[] record) {
        try (Arena arena = Arena.ofConfined()) {
            check((int) UPDATE.invokeExact(handle, id, arena.allocateFrom(JAVA_FLOAT, vector), bytes(arena, record),
                    (long) record.length));
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public boolean delete(long handle, long id) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(JAVA_INT);
            check((int) DELETE.invokeExact(handle, id, out));
            return out.get(JAVA_INT, 0) != 0;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public byte[] get(long handle, long[] ids) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buf = arena.allocate(ADDRESS);
            MemorySegment len = arena.allocate(JAVA_LONG);
            MemorySegment idSegment = ids.length == 0 ? MemorySegment.NULL : arena.allocateFrom(JAVA_LONG, ids);
            check((int) GET.invokeExact(handle, idSegment, (long) ids.length, buf, len));
            long n = len.get(JAVA_LONG, 0);
            MemorySegment data = buf.get(ADDRESS, 0).reinterpret(n);
            try {
                return data.toArray(JAVA_BYTE);
            } finally {
                check((int) FREE.invokeExact(data, n)); // Rust allocated it, Rust frees it
            }
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public Hits search(long handle, float[] queries, int nq, int k, byte[] filter, int mode) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment ids = arena.allocate(JAVA_LONG, (long) nq * k);
            MemorySegment scores = arena.allocate(JAVA_FLOAT, (long) nq * k);
            MemorySegment counts = arena.allocate(JAVA_INT, nq);
            check((int) SEARCH.invokeExact(handle, arena.allocateFrom(JAVA_FLOAT, queries), (long) nq, k, bytes(arena, filter),
                    (long) filter.length, mode, ids, scores, counts));
            return new Hits(ids.toArray(JAVA_LONG), scores.toArray(JAVA_FLOAT), counts.toArray(JAVA_INT));
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public long[] list(long handle, byte[] filter, long after, int limit) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment ids = arena.allocate(JAVA_LONG, limit);
            MemorySegment count = arena.allocate(JAVA_INT);
            check((int) LIST.invokeExact(handle, bytes(arena, filter), (long) filter.length, after, limit, ids, count));
            return ids.asSlice(0, count.get(JAVA_INT, 0) * JAVA_LONG.byteSize()).toArray(JAVA_LONG);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public void snapshot(long handle) {
        try {
            check((int) SNAPSHOT.invokeExact(handle));
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public void efSearch(long handle, int efSearch) {
        try {
            check((int) SET_EF_SEARCH.invokeExact(handle, efSearch));
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }
}
