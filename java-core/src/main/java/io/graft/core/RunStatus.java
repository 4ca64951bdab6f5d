package io.graft.core;

/** How a run ended. */
public enum RunStatus {
    COMPLETED,
    FAILED,
    TIMED_OUT,
    CANCELLED
}
