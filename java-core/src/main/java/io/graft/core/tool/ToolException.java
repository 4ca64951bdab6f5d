package io.graft.core.tool;

import io.graft.core.GraftException;

/** A tool call failed; the message is shown to the model. */
public final class ToolException extends GraftException {
    private static final long serialVersionUID = 1L;

    public ToolException(String message) {
        super(message);
    }
}
