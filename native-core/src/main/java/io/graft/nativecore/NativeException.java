package io.graft.nativecore;

import io.graft.core.memory.MemoryException;

/** A call into the native library failed; {@link #status()} is the C ABI's status code. */
public final class NativeException extends MemoryException {
    private static final long serialVersionUID = 1L;

    public static final int INVALID_ARGUMENT = 1;
    public static final int NOT_FOUND = 2;
    public static final int IO = 3;
    public static final int CORRUPTED = 4;
    public static final int PANIC = 5;
    public static final int BUSY = 6;

    private final int status;

    public NativeException(int status, String message) {
        super(message);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
