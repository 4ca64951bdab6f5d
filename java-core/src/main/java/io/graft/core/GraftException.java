package io.graft.core;

/** Root of every exception Graft throws; subclasses say what failed. */
public class GraftException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public GraftException(String message) {
        super(message);
    }

    public GraftException(String message, Throwable cause) {
        super(message, cause);
    }
}
