package io.graft.core;

/** The runtime refused a run because its admission limit is reached; the caller may retry later. */
public final class RuntimeOverloadedException extends GraftException {
    private static final long serialVersionUID = 1L;

    public RuntimeOverloadedException(String message) {
        super(message);
    }
}
