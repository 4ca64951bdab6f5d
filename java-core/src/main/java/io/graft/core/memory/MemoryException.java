package io.graft.core.memory;

import io.graft.core.GraftException;

/** A memory or embedding operation failed, or its input was invalid; the message names the value. */
public class MemoryException extends GraftException {
    private static final long serialVersionUID = 1L;

    public MemoryException(String message) {
        super(message);
    }

    public MemoryException(String message, Throwable cause) {
        super(message, cause);
    }
}
