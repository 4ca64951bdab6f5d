package io.graft.server.http;

import io.graft.core.GraftException;

/** The run database failed (it cannot be opened, or a statement failed). */
public final class StoreException extends GraftException {
    private static final long serialVersionUID = 1L;

    public StoreException(String message) {
        super(message);
    }

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
