package io.graft.core;

/** Thrown inside a run when it was cancelled or its deadline passed; the runtime turns it into a result status. */
public final class RunCancelledException extends GraftException {
    private static final long serialVersionUID = 1L;
    private final RunStatus status;

    public RunCancelledException(RunStatus status, String message) {
        super(message);
        this.status = status;
    }

    /** {@link RunStatus#CANCELLED} or {@link RunStatus#TIMED_OUT}. */
    public RunStatus status() {
        return status;
    }
}
