package io.graft.python;

import io.graft.core.GraftException;

/** The Python host could not start, or a context broke. */
public final class PythonException extends GraftException {
    private static final long serialVersionUID = 1L;

    public PythonException(String message) {
        super(message);
    }

    public PythonException(String message, Throwable cause) {
        super(message, cause);
    }
}
