package io.graft.core;

/** An agent's own code failed; carries the error as the result reports it (with the Python traceback). */
public final class AgentFailedException extends GraftException {
    private static final long serialVersionUID = 1L;
    private final AgentError error;

    public AgentFailedException(AgentError error) {
        super(error.type() + ": " + error.message());
        this.error = error;
    }

    public AgentError error() {
        return error;
    }
}
