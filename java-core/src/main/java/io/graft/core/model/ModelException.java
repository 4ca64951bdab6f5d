package io.graft.core.model;

import io.graft.core.GraftException;

/**
 * A chat model could not answer, or a model specification is invalid. Provider failures are the
 * subclass {@code io.graft.core.provider.ProviderException}, which says what kind of failure it was.
 */
public class ModelException extends GraftException {
    private static final long serialVersionUID = 1L;

    public ModelException(String message) {
        super(message);
    }

    public ModelException(String message, Throwable cause) {
        super(message, cause);
    }
}
